// Fixture: an office's morning through the real REST API, whose figures are known.
import assert from "node:assert/strict";
import { aCitizen, type Session } from "../support/fixtures.ts";
import { del, post } from "../support/http.ts";
import { aRunningQueue, aTicket, type QueueSetup } from "../support/queues.ts";

const as = (who: Session) => ({ token: who.access });

/** Three tickets, all handled by the agent: one served (within the queue's 30-minute target), one
 * no-show (no recalls owed), one cancelled. */
export async function anOfficeMorning(): Promise<QueueSetup & { tickets: string[] }> {
  const setup = await aRunningQueue(1, { policy: { max_recalls: 0, target_wait_minutes: 30 } });
  const { queue, agent, counters } = setup;
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push((await aTicket(await aCitizen(), queue.id)).id);
  const step = async (path: string, body: unknown = {}) => {
    const reply = await post(path, body, as(agent));
    assert.equal(reply.status, 200, `${path}: ${JSON.stringify(reply.body)}`);
  };
  const ticket = (id: string) => `/api/queues/tickets/${id}/`;
  await step(`${ticket(ids[0]!)}call/`, { counter_id: counters[0] });
  await step(`${ticket(ids[0]!)}start/`);
  await step(`${ticket(ids[0]!)}complete/`);
  await step(`${ticket(ids[1]!)}call/`, { counter_id: counters[0] });
  await step(`${ticket(ids[1]!)}no-show/`);
  const cancelled = await del(ticket(ids[2]!), as(agent));
  assert.equal(cancelled.status, 204, JSON.stringify(cancelled.body));
  return { ...setup, tickets: ids };
}
