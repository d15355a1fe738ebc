// Sharing one's arrival with a ticket's office: the citizen's own open ticket only, and
// what the office's staff may see of it.
import assert from "node:assert/strict";
import { sharedWith, visibleTo, withShare, type ArrivalShare } from "../../services/locations/arrival-shares.ts";
import type { UserPoint } from "../../services/locations/user-locations.ts";
import { aCitizen, anAdministeredOrganization, anAgent } from "../support/fixtures.ts";
import { del, post } from "../support/http.ts";
import { aRunningQueue, aTicket } from "../support/queues.ts";
import { aBranchQueue } from "../live/live-fixtures.ts";

const share = (ticket_id: string, organization_id: string, since: string): ArrivalShare => ({ ticket_id, queue_id: "q", organization_id, branch_id: "b", mode: "car", since: new Date(since) });
const at = (id: string, recorded_at: string): UserPoint => ({ id, lat: 14.7, lon: -17.45, accuracy_m: null, recorded_at: new Date(recorded_at) });

describe("arrival shares", () => {
  it("keeps one share per ticket, the newest first", () => {
    const kept = withShare([share("t1", "o1", "2026-12-02T08:00:00Z"), share("t2", "o2", "2026-12-02T08:01:00Z")], share("t1", "o1", "2026-12-02T08:05:00Z"));
    assert.deepEqual(kept.map((s) => [s.ticket_id, s.since.toISOString()]), [["t1", "2026-12-02T08:05:00.000Z"], ["t2", "2026-12-02T08:01:00.000Z"]]);
    assert.deepEqual(sharedWith([...kept, share("t3", "o1", "2026-12-02T08:06:00Z")]), ["o1", "o2"]);
  });

  it("shows an organisation the points since the user first shared with it, and nothing to another", () => {
    const points = [at("late", "2026-12-02T08:10:00Z"), at("early", "2026-12-02T07:50:00Z")];
    const shares = [share("t1", "o1", "2026-12-02T08:00:00Z")];
    assert.deepEqual(visibleTo(points, shares, "o1")!.map((p) => p.id), ["late"]);
    assert.equal(visibleTo(points, shares, "o2"), null);
  });
});

describe("POST /api/locations/user-locations/ with ticket_id", function () {
  this.timeout(60_000);
  const HERE = { latitude: 14.7167, longitude: -17.4677 };
  const locate = (token: string, body: Record<string, unknown>) => post("/api/locations/user-locations/", body, { token });

  it("shares the arrival with the branch of the caller's own waiting ticket", async () => {
    const { queue, branch } = await aBranchQueue();
    const me = await aCitizen();
    const ticket = await aTicket(me, queue.id);
    const reply = await locate(me.access, { ...HERE, ticket_id: ticket.id, mode: "bus" });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    assert.deepEqual(reply.body.shares.map((s: any) => [s.ticket_id, s.branch_id, s.mode]), [[ticket.id, branch.id, "bus"]]);
    // A later point without ticket_id keeps the share while the ticket waits.
    assert.equal((await locate(me.access, HERE)).body.shares.length, 1);
  });

  it("refuses someone else's ticket as not found, whoever asks, and an ended or branchless one as a conflict", async () => {
    const { queue, admin } = await aBranchQueue();
    const holder = await aCitizen();
    const ticket = await aTicket(holder, queue.id);
    const otherOrg = await anAdministeredOrganization();
    for (const who of [await aCitizen(), admin, await anAgent(otherOrg.org.id)]) {
      const reply = await locate(who.access, { ...HERE, ticket_id: ticket.id });
      assert.equal(reply.status, 404, JSON.stringify(reply.body));
      assert.equal(reply.body.error.code, "not_found");
    }
    const cancelled = await aTicket(holder, queue.id);
    assert.equal((await del(`/api/queues/tickets/${cancelled.id}/`, { token: holder.access })).status, 204);
    const ended = await locate(holder.access, { ...HERE, ticket_id: cancelled.id });
    assert.equal(ended.status, 409, JSON.stringify(ended.body));
    const noBranch = await aRunningQueue();
    const loose = await aTicket(holder, noBranch.queue.id);
    assert.equal((await locate(holder.access, { ...HERE, ticket_id: loose.id })).status, 409);
  });

  it("refuses bad input, naming the field", async () => {
    const me = await aCitizen();
    for (const [body, path] of [
      [{ ...HERE, mode: "car" }, "body.mode"],
      [{ ...HERE, ticket_id: "" }, "body.ticket_id"],
      [{ ...HERE, ticket_id: "x", mode: "plane" }, "body.mode"],
    ] as const) {
      const reply = await locate(me.access, body);
      assert.equal(reply.status, 400, path);
      assert.ok(reply.body.error.details.fields.some((f: { path: string }) => f.path === path), JSON.stringify(reply.body.error.details));
    }
  });
});

describe("DELETE /api/locations/user-locations/shares/{ticket_id}/", function () {
  this.timeout(60_000);
  const HERE = { latitude: 14.7167, longitude: -17.4677 };

  it("stops sharing the caller's arrival for a ticket, once, and only the caller's own", async () => {
    const { queue } = await aBranchQueue();
    const me = await aCitizen();
    const ticket = await aTicket(me, queue.id);
    assert.equal((await post("/api/locations/user-locations/", { ...HERE, ticket_id: ticket.id }, { token: me.access })).status, 201);
    const path = `/api/locations/user-locations/shares/${ticket.id}/`;
    const otherOrg = await anAdministeredOrganization();
    for (const who of [await aCitizen(), otherOrg.admin, await anAgent(otherOrg.org.id)]) {
      const reply = await del(path, { token: who.access });
      assert.equal(reply.status, 404, JSON.stringify(reply.body));
      assert.equal(reply.body.error.code, "not_found");
    }
    assert.equal((await del(path, { token: me.access })).status, 204);
    assert.equal((await del(path, { token: me.access })).status, 404);
    assert.deepEqual((await post("/api/locations/user-locations/", HERE, { token: me.access })).body.shares, []);
    assert.equal((await del(path)).status, 401);
  });

  it("refuses a ticket id longer than any, naming the field", async () => {
    const me = await aCitizen();
    const reply = await del(`/api/locations/user-locations/shares/${"x".repeat(65)}/`, { token: me.access });
    assert.equal(reply.status, 400);
    assert.ok(reply.body.error.details.fields.some((f: { path: string }) => f.path === "params.ticket_id"), JSON.stringify(reply.body.error.details));
  });
});
