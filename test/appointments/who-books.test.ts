// Who an appointment is for, by who books it (services/appointments/who-books.ts), and
// what a list shows each user (mixins/api/authorize.ts, listScope): without a broker.
import assert from "node:assert/strict";
import { listScope } from "../../mixins/api/authorize.ts";
import { refusedWith as refusal } from "../support/assertions.ts";
import { aCaller as user } from "../support/callers.ts";
import { appointmentHolder } from "../../services/appointments/who-books.ts";

const slot = { organization_id: "org-a" };

describe("who an appointment is for", () => {
  it("is the citizen booking, or the citizen staff of the slot's organisation name", () => {
    const citizen = user("citizen");
    assert.equal(appointmentHolder(citizen, slot, undefined), citizen.id);
    assert.equal(appointmentHolder(citizen, slot, citizen.id), citizen.id);
    assert.equal(appointmentHolder(user("agent", "org-a"), slot, "c1"), "c1");
    assert.equal(appointmentHolder(user("platform_admin"), slot, "c1"), "c1");
  });

  it("refuses a citizen booking for someone else, another organisation's staff, and staff naming nobody", () => {
    assert.throws(() => appointmentHolder(user("citizen"), slot, "someone-else"), refusal("forbidden"));
    assert.throws(() => appointmentHolder(user("agent", "org-b"), slot, "c1"), refusal("forbidden"));
    assert.throws(() => appointmentHolder(user("org_admin", "org-a"), slot, undefined), refusal("validation_failed"));
  });
});

describe("what a list shows", () => {
  it("shows the platform admin everything, a citizen their own, staff their organisation's", () => {
    assert.deepEqual(listScope(user("platform_admin")), {});
    assert.deepEqual(listScope(user("citizen")), { user_id: "u-citizen-null" });
    assert.deepEqual(listScope(user("agent", "org-a")), { organization_id: "org-a" });
  });
});
