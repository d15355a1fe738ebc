import assert from "node:assert/strict";
import { planSlots, type PlannedSlot } from "../../services/appointments/slots/generate.ts";
import { reconcileSlots } from "../../services/appointments/slots/reconcile.ts";
import { aSlotPlan, MONDAY, onlyOn } from "./slot-fixtures.ts";

const stored = (slots: PlannedSlot[], booked: Record<string, number> = {}) => slots.map((s) => ({ key: s.key, booked: booked[s.key] ?? 0 }));
const key = (iso: string) => `svc-1:${iso}`;

describe("appointments: reconciling slots with a new plan", () => {
  // Monday 9:00–17:00 was planned; the office now opens Monday 13:00–17:00 only.
  const before = planSlots(aSlotPlan({ opening_hours: onlyOn("monday", [{ open: "09:00", close: "17:00" }]) }), MONDAY, 1);
  const after = planSlots(aSlotPlan({ opening_hours: onlyOn("monday", [{ open: "13:00", close: "17:00" }]) }), MONDAY, 1);
  const tenOClock = new Date(Date.UTC(2025, 2, 10, 10));

  it("changes nothing when the plan is what is stored", () => {
    const changes = reconcileSlots(stored(before), before, MONDAY);
    assert.deepEqual(changes, { create: [], remove: [], keep: before.map((s) => s.key) });
  });

  it("creates every planned slot when nothing is stored", () => {
    const changes = reconcileSlots([], before, MONDAY);
    assert.deepEqual(changes.create, before);
  });

  it("removes future empty slots the new hours no longer have", () => {
    const changes = reconcileSlots(stored(before), after, tenOClock);
    assert.deepEqual(changes.remove, [
      key("2025-03-10T10:00:00.000Z"), key("2025-03-10T10:30:00.000Z"),
      key("2025-03-10T11:00:00.000Z"), key("2025-03-10T11:30:00.000Z"),
      key("2025-03-10T12:00:00.000Z"), key("2025-03-10T12:30:00.000Z"),
    ]);
  });

  it("keeps a booked slot the new hours no longer have", () => {
    const changes = reconcileSlots(stored(before, { [key("2025-03-10T11:00:00.000Z")]: 1 }), after, tenOClock);
    assert.ok(changes.keep.includes(key("2025-03-10T11:00:00.000Z")));
    assert.ok(!changes.remove.includes(key("2025-03-10T11:00:00.000Z")));
  });

  it("creates the slots of new hours that are not stored yet", () => {
    const later = planSlots(aSlotPlan({ opening_hours: onlyOn("monday", [{ open: "09:00", close: "18:00" }]) }), MONDAY, 1);
    const changes = reconcileSlots(stored(before), later, tenOClock);
    assert.deepEqual(changes.create.map((s) => s.key), [key("2025-03-10T17:00:00.000Z"), key("2025-03-10T17:30:00.000Z")]);
    assert.deepEqual(changes.remove, []);
  });

  it("touches no slot that starts before the window, booked or not", () => {
    const changes = reconcileSlots(stored(before, { [key("2025-03-10T09:00:00.000Z")]: 1 }), after, tenOClock);
    const touched = [...changes.create.map((s) => s.key), ...changes.remove, ...changes.keep];
    assert.deepEqual(touched.filter((k) => k < key("2025-03-10T10:00:00.000Z")), []);
  });

  it("does not create a planned slot that starts before the window", () => {
    const changes = reconcileSlots([], before, tenOClock);
    assert.equal(changes.create[0]!.key, key("2025-03-10T10:00:00.000Z"));
  });

  it("keeps the new hours' slots that are already stored", () => {
    const changes = reconcileSlots(stored(before), after, tenOClock);
    assert.deepEqual(changes.keep, after.map((s) => s.key));
    assert.deepEqual(changes.create, []);
  });

  it("asks for nothing more when run again after its changes are applied (idempotent regeneration)", () => {
    const first = reconcileSlots(stored(before, { [key("2025-03-10T11:00:00.000Z")]: 2 }), after, tenOClock);
    const removed = new Set(first.remove);
    const storedNow = [
      ...stored(before, { [key("2025-03-10T11:00:00.000Z")]: 2 }).filter((s) => !removed.has(s.key)),
      ...stored(first.create),
    ];
    const again = planSlots(aSlotPlan({ opening_hours: onlyOn("monday", [{ open: "13:00", close: "17:00" }]) }), MONDAY, 1);
    const second = reconcileSlots(storedNow, again, tenOClock);
    assert.deepEqual(second.create, []);
    assert.deepEqual(second.remove, []);
  });

  it("reads a slot's start from a key whose service id holds colons", () => {
    const slots = planSlots(aSlotPlan({ service_id: "org:7:svc" }), MONDAY, 1);
    const changes = reconcileSlots(stored(slots), [], new Date(Date.UTC(2025, 2, 10, 16, 45)));
    assert.deepEqual(changes.remove, []);
    assert.deepEqual(reconcileSlots(stored(slots), [], new Date(Date.UTC(2025, 2, 10, 16, 30))).remove, ["org:7:svc:2025-03-10T16:30:00.000Z"]);
  });
});
