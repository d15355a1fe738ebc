// Fixtures for the live tests: display tokens, a queue in a branch run by an
// organisation with its admin and an agent, and deltas made up for the units.
import assert from "node:assert/strict";
import type { Peer } from "../../services/live/channel.ts";
import type { Delta } from "../../services/live/delta.ts";
import { aBranch, aCitizen, anAdministeredOrganization, anAgent, type Session } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import type { LiveClient } from "../support/live-client.ts";
import { aCounter, aQueue } from "../support/queues.ts";

export const DISPLAY_TOKENS = "/api/accounts/display-tokens/";

export async function aDisplayToken(by: Session, branchId: string, name = "Écran salle d'attente"): Promise<any> {
  const reply = await post(DISPLAY_TOKENS, { branch_id: branchId, name }, { token: by.access });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body;
}

/** A queue in a branch with one open counter, its organisation's admin and agent, and a screen's token. */
export async function aBranchQueue() {
  const { org, admin } = await anAdministeredOrganization();
  const branch = await aBranch(admin, org.id);
  const queue = await aQueue(admin, org.id, { branch_id: branch.id });
  const counter = await aCounter(admin, queue.id);
  const agent = await anAgent(org.id);
  const display = await aDisplayToken(admin, branch.id);
  return { org, admin, agent, branch, queue, counter, display };
}

export async function callNext(agent: Session, queueId: string, counterId: string): Promise<any> {
  const reply = await post(`/api/queues/queues/${queueId}/call-next/`, { counter_id: counterId }, { token: agent.access });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body;
}

/** A delta of queue `q` covering versions from..to, one event per version. */
export function aDelta(from: number, to: number, q = "q1", sent_at = to): Delta {
  const events = [];
  for (let v = from; v <= to; v++) events.push({ type: "ticket.issued", queue_id: q, version: v });
  return { queue_id: q, from_version: from, version: to, events, sent_at };
}

/** A socket in memory; `published` plays uWS's native fan-out to subscribed peers. */
export class FakePeer implements Peer {
  readonly received: any[] = [];
  readonly topics = new Set<string>();
  closed = false;
  send(message: object | string) {
    this.received.push(typeof message === "string" ? JSON.parse(message) : message);
  }
  batch(sends: () => void) {
    sends();
  }
  subscribe(topic: string) {
    this.topics.add(topic);
  }
  unsubscribe(topic: string) {
    this.topics.delete(topic);
  }
  end() {
    this.closed = true;
  }
}

/**
 * A queue made through a node of a cluster (its REST gateway at `baseUrl`), with an agent
 * to watch it, a citizen to take tickets, its current version read back through the same
 * node, and a wait until a screen holds that version.
 */
export async function aQueueThrough(baseUrl: string, prefix: string, settleMs: number) {
  const { org, admin } = await anAdministeredOrganization();
  const agent = await anAgent(org.id);
  const via = (token: string) => ({ token, baseUrl });
  const queue = await post("/api/queues/queues/", { organization_id: org.id, name: "Accueil", prefix }, via(admin.access));
  assert.equal(queue.status, 201, JSON.stringify(queue.body));
  const citizen = await aCitizen();
  const id: string = queue.body.id;
  const issue = async () => assert.equal((await post("/api/queues/tickets/", { queue_id: id }, via(citizen.access))).status, 201);
  const current = async (): Promise<number> => (await get(`/api/queues/queues/${id}/status/`, via(admin.access))).body.version;
  const upToDate = async (screen: LiveClient) => {
    const version = await current();
    await screen.until(() => screen.version === version, `version ${version}`, settleMs);
  };
  return { id, agent, issue, current, upToDate };
}
