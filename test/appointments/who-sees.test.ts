// Who sees an appointment (services/appointments/who-sees.ts): without a broker.
import assert from "node:assert/strict";
import { visibleTo } from "../../services/appointments/who-sees.ts";
import { refusedWith } from "../support/assertions.ts";
import { aCaller } from "../support/callers.ts";
import { aStoredAppointment } from "./stored-fixtures.ts";

describe("who sees an appointment", () => {
  const appointment = aStoredAppointment({ user_id: "u-citizen-null", organization_id: "org-1" });

  it("shows it to the citizen it is for, to staff of its organisation and to the platform admin", () => {
    for (const caller of [aCaller("citizen"), aCaller("agent", "org-1"), aCaller("org_admin", "org-1"), aCaller("platform_admin")]) {
      assert.equal(visibleTo(caller, appointment), appointment, caller.role);
    }
  });

  it("answers not found to another citizen and to another organisation's staff, as for one that is not there", () => {
    const someoneElse = { ...appointment, user_id: "c-2" };
    assert.throws(() => visibleTo(aCaller("citizen"), someoneElse), refusedWith("not_found"));
    assert.throws(() => visibleTo(aCaller("org_admin", "org-2"), appointment), refusedWith("not_found"));
    assert.throws(() => visibleTo(aCaller("citizen"), null), refusedWith("not_found"));
  });
});
