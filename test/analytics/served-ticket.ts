// Fixture: a citizen's ticket served in a queue, and the rating link its "served" message carries.
import assert from "node:assert/strict";
import { eventually } from "../support/eventually.ts";
import { aCitizen, type Session } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { aTicket, type QueueSetup } from "../support/queues.ts";

export interface ServedTicket {
  citizen: Session;
  ticket: { id: string; number: string };
  link: string;
}

export async function aServedTicket(setup: QueueSetup): Promise<ServedTicket> {
  const citizen = await aCitizen();
  const ticket = await aTicket(citizen, setup.queue.id);
  const step = async (path: string, body = {}) => assert.equal((await post(`/api/queues/tickets/${ticket.id}/${path}/`, body, { token: setup.agent.access })).status, 200);
  await step("call", { counter_id: setup.counters[0] });
  await step("start");
  await step("complete");
  const inbox = await eventually(() => get("/api/notifications/notifications/?event=ticket.served", { token: citizen.access }), (r) => r.status === 200 && r.body.count === 1);
  const served = inbox.body.results[0];
  assert.equal(served.data.number, ticket.number);
  assert.ok(served.body.includes(served.data.link), "the message shows the link");
  return { citizen, ticket, link: served.data.link };
}

/** The link's signed token: what follows '#'. */
export const tokenOf = (link: string) => link.slice(link.indexOf("#") + 1);
