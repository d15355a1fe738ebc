// A service's slots and their seats read as ranges of _ids (services/appointments/slots/key.ts):
// exactly the slots asked for, beside other services' and other days', from the _id index.
import assert from "node:assert/strict";
import { Types } from "mongoose";
import { slotKey, slotKeyRanges } from "../../services/appointments/slots/key.ts";
import { appointmentsStore, bookedSeats, slotsBetween } from "../../services/appointments/store.ts";
import { system } from "../support/system.ts";
import { assertReadFromIdIndex } from "../support/assertions.ts";

const at = (iso: string) => new Date(iso);

describe("a service's slots by ranges of their keys", () => {
  it("cuts a span at each UTC month, each range's ends sharing the service and the month", () => {
    const ranges = slotKeyRanges("svc", at("2030-01-30T10:00:00Z"), at("2030-03-02T00:00:00Z"));
    // A whole month's range ends just after the month's keys ("." follows "-"), not at the next month's first.
    assert.deepEqual(ranges.map((r) => [r._id.$gte, r._id.$lt]), [
      ["svc:2030-01-30T10:00:00.000Z", "svc:2030-01."],
      ["svc:2030-02-01T00:00:00.000Z", "svc:2030-02."],
      ["svc:2030-03-01T00:00:00.000Z", "svc:2030-03-02T00:00:00.000Z"],
    ]);
    const shared = ({ _id: { $gte, $lt } }: { _id: { $gte: string; $lt: string } }) => $gte.slice(0, [...$gte].findIndex((c, i) => c !== $lt[i]));
    assert.deepEqual(ranges.map(shared), ["svc:2030-01", "svc:2030-02", "svc:2030-03-0"]);
    assert.ok(slotKey("svc", at("2030-01-31T23:59:59.999Z")) < ranges[0]!._id.$lt && ranges[0]!._id.$lt < slotKey("svc", at("2030-02-01T00:00:00Z")));
    assert.deepEqual(slotKeyRanges("svc", at("2030-01-07T00:00:00Z"), at("2030-01-07T00:00:00Z")), [], "an empty span, no range");
  });

  it("reads one service's slots of a day and their booked seats, and nothing else, from the _id index", async () => {
    const store = appointmentsStore(system().node.db);
    const [mine, other] = [new Types.ObjectId().toHexString(), new Types.ObjectId().toHexString()];
    const slot = (serviceId: string, iso: string) => ({ _id: slotKey(serviceId, at(iso)), service_id: serviceId, branch_id: null, organization_id: "org", starts_at: at(iso), ends_at: at(iso), capacity: 2 });
    const day = ["2030-02-05T00:00:00Z", "2030-02-05T09:00:00Z", "2030-02-05T23:30:00Z"].map((iso) => slot(mine, iso));
    const around = [slot(mine, "2030-02-04T23:30:00Z"), slot(mine, "2030-02-06T00:00:00Z"), slot(mine, "2030-03-05T09:00:00Z"), slot(other, "2030-02-05T09:00:00Z")];
    await store.slots.collection.insertMany([...day, ...around] as never[]);
    // Seats `<slot>#<n>`: two of the day's first slot, one of each slot around.
    const seat = (slotId: string, n: number) => ({ _id: `${slotId}#${n}`, slot_id: slotId, appointment_id: `a-${slotId}-${n}` });
    await store.seats.collection.insertMany([seat(day[0]!._id, 0), seat(day[0]!._id, 1), ...around.map((s) => seat(s._id, 0))] as never[]);

    const found = await slotsBetween(store, mine, at("2030-02-05T00:00:00Z"), at("2030-02-06T00:00:00Z"));
    assert.deepEqual(found.map((s) => s._id).sort(), day.map((s) => s._id).sort());
    const booked = await bookedSeats(store, day.map((s) => s._id));
    assert.deepEqual(day.map((s) => booked.get(s._id) ?? 0), [2, 0, 0]);

    for (const [collection, range] of [[store.slots, slotKeyRanges(mine, at("2030-02-05T00:00:00Z"), at("2030-02-06T00:00:00Z"))[0]!], [store.seats, slotKeyRanges(mine, at("2030-02-05T00:00:00Z"), at("2030-02-05T00:00:00.001Z"))[0]!]] as const) {
      await assertReadFromIdIndex(collection.collection, range);
    }
  });
});
