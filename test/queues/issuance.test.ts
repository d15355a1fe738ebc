// Who may take which ticket, without a broker: services/queues/issuance.ts.
import assert from "node:assert/strict";
import { refusedWith as refusal } from "../support/assertions.ts";
import { aCaller as user } from "../support/callers.ts";
import { issueFields } from "../../services/queues/issuance.ts";

const queue = { organization_id: "org-a", is_active: true };

describe("who may take which ticket", () => {
  it("gives a citizen their own ticket, from their phone unless they say otherwise", () => {
    const citizen = user("citizen");
    assert.deepEqual(issueFields(citizen, queue, {}), { channel: "mobile", priority: "normal", user_id: citizen.id, notify_near: null });
    assert.deepEqual(issueFields(citizen, queue, { channel: "kiosk", priority: "elderly" }), { channel: "kiosk", priority: "elderly", user_id: citizen.id, notify_near: null });
  });

  it("lets staff of the queue's organisation issue at the counter, in any class, for a citizen", () => {
    assert.deepEqual(issueFields(user("agent", "org-a"), queue, {}), { channel: "agent", priority: "normal", user_id: null, notify_near: null });
    assert.deepEqual(issueFields(user("org_admin", "org-a"), queue, { priority: "vip", user_id: "c1" }), { channel: "agent", priority: "vip", user_id: "c1", notify_near: null });
    assert.deepEqual(issueFields(user("platform_admin"), queue, { channel: "kiosk" }), { channel: "kiosk", priority: "normal", user_id: null, notify_near: null });
  });

  it("refuses a citizen a staff-only class or a ticket in someone else's name", () => {
    assert.throws(() => issueFields(user("citizen"), queue, { priority: "vip" }), refusal("forbidden"));
    assert.throws(() => issueFields(user("citizen"), queue, { user_id: "someone-else" }), refusal("forbidden"));
    assert.throws(() => issueFields(user("citizen"), queue, { user_id: null }), refusal("forbidden"));
  });

  it("carries the citizen's own \"turn near\", and refuses one on a ticket for nobody", () => {
    const near = { by: "minutes" as const, within: 15, channels: ["sms" as const] };
    assert.deepEqual(issueFields(user("citizen"), queue, { notify_near: near }).notify_near, near);
    assert.deepEqual(issueFields(user("agent", "org-a"), queue, { user_id: "c1", notify_near: near }).notify_near, near);
    assert.throws(() => issueFields(user("agent", "org-a"), queue, { notify_near: near }), refusal("validation_failed"));
  });

  it("refuses another organisation's staff, and everyone when the queue takes no tickets", () => {
    assert.throws(() => issueFields(user("agent", "org-b"), queue, {}), refusal("forbidden"));
    assert.throws(() => issueFields(user("agent", "org-a"), { ...queue, is_active: false }, {}), refusal("queue_inactive"));
    assert.throws(() => issueFields(user("citizen"), { ...queue, is_active: false }, {}), refusal("queue_inactive"));
  });
});
