// Fixture builders for the queue engine: a queue with counters, run by an organisation
// with its own admin and agent.
import assert from "node:assert/strict";
import { anAdministeredOrganization, anAgent, type Session } from "./fixtures.ts";
import { post } from "./http.ts";

export interface QueueSetup {
  org: { id: string; name: string };
  admin: Session;
  agent: Session;
  queue: { id: string; name: string; prefix: string; organization_id: string; opening: string };
  counters: string[];
}

export async function aQueue(admin: Session, organizationId: string, extra: Record<string, unknown> = {}): Promise<any> {
  const reply = await post("/api/queues/queues/", { organization_id: organizationId, name: "Caisse", prefix: "A", ...extra }, { token: admin.access });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body;
}

export async function aCounter(admin: Session, queueId: string, name = "Guichet 1"): Promise<string> {
  const reply = await post(`/api/queues/queues/${queueId}/counters/`, { name }, { token: admin.access });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body.id;
}

/** An organisation with an admin and an agent, one queue and `counters` open counters. */
export async function aRunningQueue(counters = 1, extra: Record<string, unknown> = {}): Promise<QueueSetup> {
  const { org, admin } = await anAdministeredOrganization();
  const agent = await anAgent(org.id);
  const queue = await aQueue(admin, org.id, extra);
  const ids: string[] = [];
  for (let i = 1; i <= counters; i++) ids.push(await aCounter(admin, queue.id, `Guichet ${i}`));
  return { org, admin, agent, queue, counters: ids };
}

export async function aTicket(who: Session, queueId: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<any> {
  const reply = await post("/api/queues/tickets/", { queue_id: queueId, ...extra }, { token: who.access, headers });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body;
}
