import assert from "node:assert/strict";
import { locationAudience, mayReadNotifications, mayWatchQueue, type Viewer } from "../../services/live/access.ts";
import type { Role } from "../../mixins/api/meta.ts";

const user = (role: Role, organization_id: string | null, id = "u1"): Viewer => ({ kind: "user", user: { id, role, organization_id, jti: "j", exp: 0 } });
const display = (organization_id: string, branch_id: string): Viewer => ({ kind: "display", display: { id: "d1", organization_id, branch_id } });
const queue = { organization_id: "o1", branch_id: "b1" };

describe("live channel access", () => {
  it("lets a platform admin and the organisation's staff watch a queue", () => {
    assert.ok(mayWatchQueue(user("platform_admin", null), queue));
    assert.ok(mayWatchQueue(user("org_admin", "o1"), queue));
    assert.ok(mayWatchQueue(user("agent", "o1"), queue));
  });

  it("refuses citizens and another organisation's staff", () => {
    assert.ok(!mayWatchQueue(user("citizen", null), queue));
    assert.ok(!mayWatchQueue(user("org_admin", "o2"), queue));
    assert.ok(!mayWatchQueue(user("agent", "o2"), queue));
  });

  it("lets a screen watch the queues of its own branch only", () => {
    assert.ok(mayWatchQueue(display("o1", "b1"), queue));
    assert.ok(!mayWatchQueue(display("o1", "b2"), queue));
    assert.ok(!mayWatchQueue(display("o2", "b1"), queue));
    assert.ok(!mayWatchQueue(display("o1", "b1"), { organization_id: "o1", branch_id: null }));
  });

  it("opens a user's notifications to that user alone", () => {
    assert.ok(mayReadNotifications(user("citizen", null, "u1"), "u1"));
    assert.ok(!mayReadNotifications(user("citizen", null, "u2"), "u1"));
    assert.ok(!mayReadNotifications(user("platform_admin", null, "u9"), "u1"));
    assert.ok(!mayReadNotifications(display("o1", "b1"), "u1"));
  });

  it("lets a user follow their own locations, and staff ask for a citizen's as their organisation", () => {
    assert.deepEqual(locationAudience(user("citizen", null, "u1"), "u1"), { kind: "self" });
    assert.deepEqual(locationAudience(user("agent", "o1", "a1"), "u1"), { kind: "staff", organization_id: "o1" });
    assert.deepEqual(locationAudience(user("org_admin", "o1", "a2"), "u1"), { kind: "staff", organization_id: "o1" });
  });

  it("refuses another citizen, a platform admin and a screen a user's locations", () => {
    assert.equal(locationAudience(user("citizen", null, "u2"), "u1"), null);
    assert.equal(locationAudience(user("platform_admin", null, "u9"), "u1"), null);
    assert.equal(locationAudience(display("o1", "b1"), "u1"), null);
  });
});
