// /ws/location/updates/{id}: a user's own locations, and a citizen's for the staff of the
// office they share their arrival with, and for nobody else.
import assert from "node:assert/strict";
import { aCitizen, anAdministeredOrganization, anAgent, aPlatformAdmin, type Session } from "../support/fixtures.ts";
import { del, post } from "../support/http.ts";
import { aTicket } from "../support/queues.ts";
import { assertRefused, closeClients, connectConfirmed } from "../support/live-client.ts";
import { aBranchQueue } from "./live-fixtures.ts";

const locationPath = (userId: string) => `/ws/location/updates/${userId}`;
const HOME = { latitude: 14.6937, longitude: -17.4441 };
const ON_THE_WAY = { latitude: 14.7, longitude: -17.45 };

async function locate(who: Session, body: Record<string, unknown>): Promise<any> {
  const reply = await post("/api/locations/user-locations/", body, { token: who.access });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body;
}

describe("/ws/location/updates/{id}", function () {
  this.timeout(60_000);
  afterEach(closeClients);

  it("shows a user their own locations: a snapshot, then each point they record", async () => {
    const me = await aCitizen();
    const first = await locate(me, HOME);
    const phone = await connectConfirmed(locationPath(me.user.id), { token: me.access });
    const snapshot = await phone.next("snapshot");
    assert.deepEqual([snapshot.user_id, snapshot.version, snapshot.points.map((p: { id: string }) => p.id)], [me.user.id, 1, [first.id]]);
    const second = await locate(me, ON_THE_WAY);
    const update = await phone.next("location");
    assert.deepEqual([update.version, update.point.id, update.point.latitude], [2, second.id, ON_THE_WAY.latitude]);
  });

  it("lets the staff of a ticket's organisation follow a citizen who shares their arrival, from then on only", async () => {
    const { queue, agent } = await aBranchQueue();
    const citizen = await aCitizen();
    const ticket = await aTicket(citizen, queue.id);
    await locate(citizen, HOME);
    const shared = await locate(citizen, { ...ON_THE_WAY, ticket_id: ticket.id, mode: "walk" });
    assert.deepEqual(shared.shares.map((s: { ticket_id: string; mode: string }) => [s.ticket_id, s.mode]), [[ticket.id, "walk"]]);
    const counter = await connectConfirmed(locationPath(citizen.user.id), { token: agent.access });
    const snapshot = await counter.next("snapshot");
    // The point recorded before the citizen chose to share stays theirs.
    assert.deepEqual(snapshot.points.map((p: { id: string }) => p.id), [shared.id]);
    const next = await locate(citizen, { latitude: 14.705, longitude: -17.455 });
    assert.equal((await counter.next("location")).point.id, next.id);
  });

  /** An agent follows a citizen sharing their way; once `end` ends the share, the citizen's next point closes the agent's socket, unseen. */
  async function endingTheShareClosesFollowing(end: (citizen: Session, ticketId: string) => Promise<{ status: number }>) {
    const { queue, agent } = await aBranchQueue();
    const citizen = await aCitizen();
    const ticket = await aTicket(citizen, queue.id);
    await locate(citizen, { ...HOME, ticket_id: ticket.id });
    const counter = await connectConfirmed(locationPath(citizen.user.id), { token: agent.access });
    await counter.next("snapshot");
    assert.equal((await end(citizen, ticket.id)).status, 204);
    assert.deepEqual((await locate(citizen, ON_THE_WAY)).shares, []);
    assert.equal(await counter.closed(), 4403);
    assert.equal(counter.messages.filter((m) => m.type === "location").length, 0);
    await assertRefused(locationPath(citizen.user.id), { token: agent.access }, 403, "forbidden");
  }

  it("closes a staff member's socket once the shared ticket has ended", () =>
    endingTheShareClosesFollowing((citizen, ticketId) => del(`/api/queues/tickets/${ticketId}/`, { token: citizen.access })));

  it("closes a staff member's socket when the citizen stops sharing", () =>
    endingTheShareClosesFollowing((citizen, ticketId) => del(`/api/locations/user-locations/shares/${ticketId}/`, { token: citizen.access })));

  it("refuses another user, staff not shared with or of another organisation, an admin, a screen, no token and a bad id", async () => {
    const { queue, agent, display } = await aBranchQueue();
    const citizen = await aCitizen();
    await locate(citizen, { ...HOME, ticket_id: (await aTicket(citizen, queue.id)).id });
    const path = locationPath(citizen.user.id);
    const other = await anAdministeredOrganization();
    for (const who of [await aCitizen(), other.admin, await anAgent(other.org.id), await aPlatformAdmin()]) {
      await assertRefused(path, { token: who.access }, 403, "forbidden");
    }
    await assertRefused(path, { token: display.token }, 403, "forbidden");
    await assertRefused(path, {}, 401, "not_authenticated");
    await assertRefused(path, { bearer: "garbage" }, 401, "token_invalid");
    await assertRefused(locationPath("not-an-id"), { token: agent.access }, 400, "validation_failed");
    // The same agent follows the citizen of their own organisation.
    const counter = await connectConfirmed(path, { token: agent.access });
    assert.equal((await counter.next("snapshot")).points.length, 1);
  });

  it("answers at the seed's path, with its trailing slash", async () => {
    const me = await aCitizen();
    await locate(me, HOME);
    const phone = await connectConfirmed(`${locationPath(me.user.id)}/`, { token: me.access });
    assert.equal((await phone.next("snapshot")).points.length, 1);
    await assertRefused(`${locationPath(me.user.id)}/`, { token: (await aCitizen()).access }, 403, "forbidden");
  });

  it("answers a re-sync with a fresh snapshot", async () => {
    const me = await aCitizen();
    await locate(me, HOME);
    const phone = await connectConfirmed(locationPath(me.user.id), { token: me.access });
    await phone.next("snapshot");
    await locate(me, ON_THE_WAY);
    await phone.next("location");
    phone.send({ type: "resync" });
    const fresh = await phone.next("snapshot", 1);
    assert.deepEqual([fresh.version, fresh.points.length], [2, 2]);
  });
});
