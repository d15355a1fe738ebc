// Calling a queue's actor wherever it lives. The internal actions are routed by queue_id
// with Moleculer's Shard strategy (its consistent-hashing variant, config/broker/consistent-
// shard-strategy.ts), so every call for one queue reaches the same node.
// When ownership moves (a node joined, left or died) a call can fail in ways that are
// safe to retry: the journal refused the write (queue_moved), or no node was reachable.
// A call whose node died after receiving it may or may not have been applied, so only
// idempotent commands (an issue carries its own ticket id) are retried then.
import type { Context } from "moleculer";
import type { UntimedCommand } from "../../actors/host/host.ts";
import type { QueueEvent, Ticket } from "../../actors/queue/index.ts";

/** A call's context, or the broker itself for work no request started (e.g. a recovery). */
export type Caller = Pick<Context, "call">;

export type ActorCommandReply = { events: QueueEvent[]; version: number; existing?: Ticket };

/** The actor refused a state change the queue or counter has already made (409). */
export const isInvalidTransition = (err: unknown) => (err as { type?: string }).type === "invalid_transition";

/** Refused by the queue's rules (closed, duplicate…): the command was not carried out.
 * Anything else (the owner unreachable, the store busy) may yet have been. */
export const isRefusal = (err: unknown) => {
  const code = (err as { code?: number }).code ?? 0;
  return code >= 400 && code < 500;
};

const SAFE_TO_RETRY = new Set(["queue_moved", "SERVICE_NOT_AVAILABLE", "SERVICE_NOT_FOUND"]);
const OUTCOME_UNKNOWN = new Set(["REQUEST_REJECTED", "REQUEST_TIMEOUT"]);
const BACKOFF_MS = [50, 200, 500, 1000, 1500];

export async function withOwnerRetries<T>(call: () => Promise<T>, idempotent: boolean): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const type = (err as { type?: string }).type ?? "";
      const retryable = SAFE_TO_RETRY.has(type) || (idempotent && OUTCOME_UNKNOWN.has(type));
      if (!retryable || attempt >= BACKOFF_MS.length) throw err;
      await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS[attempt]));
    }
  }
}

export function sendCommand(ctx: Caller, queueId: string, command: UntimedCommand): Promise<ActorCommandReply> {
  return withOwnerRetries(
    () => ctx.call<ActorCommandReply, object>("queues.actorCommand", { queue_id: queueId, command }),
    command.type === "issue",
  );
}

/** The owner's version of each of these tickets of its queue (null: the read model has its latest). */
export function readTickets(ctx: Caller, queueId: string, ticketIds: string[]): Promise<Array<Ticket | null>> {
  return withOwnerRetries(() => ctx.call<Array<Ticket | null>, object>("queues.actorView", { queue_id: queueId, view: "tickets", ticket_ids: ticketIds }), true);
}

export function readView<T>(ctx: Caller, queueId: string, view: "snapshot" | "ticket" | "open_tickets", ticketId?: string): Promise<T> {
  return withOwnerRetries(() => ctx.call<T, object>("queues.actorView", { queue_id: queueId, view, ticket_id: ticketId }), true);
}
