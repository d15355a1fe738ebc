// What a check-in asks of an appointment and of a citizen checking in themselves
// (services/appointments/check-in.ts): without a broker.
import assert from "node:assert/strict";
import { mustBeAtBranch, mustBeCheckable, ticketRequest } from "../../services/appointments/check-in.ts";
import { refusedWith } from "../support/assertions.ts";
import { aStoredAppointment, NINE_AM } from "./stored-fixtures.ts";

/** Dakar, Place de l'Indépendance, and a point about 1.3 km west of it. */
const PLATEAU = { latitude: 14.6681, longitude: -17.4319 };
const FAR_WEST = { latitude: 14.6716, longitude: -17.4435 };
const RADIUS_M = 300;

describe("check-in rules", () => {
  it("checks in a booked appointment, and one checked in already (it answers the same ticket)", () => {
    mustBeCheckable(aStoredAppointment({ status: "booked" }));
    mustBeCheckable(aStoredAppointment({ status: "checked_in" }));
  });

  it("refuses a cancelled or missed appointment, naming its status", () => {
    assert.throws(() => mustBeCheckable(aStoredAppointment({ status: "cancelled" })), refusedWith("appointment_not_booked"));
    assert.throws(() => mustBeCheckable(aStoredAppointment({ status: "no_show" })), refusedWith("appointment_not_booked"));
  });

  it("lets a citizen at the branch check in, and refuses one farther than the radius with the distance", () => {
    mustBeAtBranch(PLATEAU, { latitude: 14.6685, longitude: -17.4321 }, RADIUS_M);
    assert.throws(
      () => mustBeAtBranch(PLATEAU, FAR_WEST, RADIUS_M),
      (err: { type?: string; data?: { distance_m: number; radius_m: number } }) => err.type === "not_at_branch" && err.data!.radius_m === RADIUS_M && Math.abs(err.data!.distance_m - 1300) < 100,
    );
  });

  it("asks a citizen for their position only when the branch's is known", () => {
    mustBeAtBranch(null, undefined, RADIUS_M);
    mustBeAtBranch({ latitude: 14.6681 }, undefined, RADIUS_M);
    assert.throws(() => mustBeAtBranch(PLATEAU, undefined, RADIUS_M), refusedWith("validation_failed"));
  });

  it("asks the queue for the appointment's own ticket, due at its start", () => {
    assert.deepEqual(ticketRequest(aStoredAppointment(), "t-1"), {
      service_id: "svc-1",
      organization_id: "org-1",
      ticket_id: "t-1",
      appointment_id: "appt-1",
      appointment_at: NINE_AM.getTime(),
      user_id: "c-1",
    });
  });
});
