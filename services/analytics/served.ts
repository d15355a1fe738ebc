// Who served a ticket: the agent named on its `ticket.completed` (the command's `by`),
// inserted once under the ticket id in the collection of the ticket's day
// (`analytics_served_day_YYYY_MM_DD`), so that its rating, which comes later, counts for
// that agent too. A ticket completed by no one named (none is, today) has no such record.
// The records are written in batches with the rollups (rollup-writer.ts), before the mark
// that says their changes are counted: one insert per day per batch instead of one per
// ticket served, which cost the embedded database a write of its own on every complete.
import { setTimeout as sleep } from "node:timers/promises";
import { Schema, type Connection } from "mongoose";
import { claimEach } from "../../mixins/db/claim.ts";
import { groupBy } from "../../mixins/group-by.ts";
import type { QueueChanged } from "../events.ts";
import { dayModel } from "./day-collections.ts";

/** A ticket served, by whom, on the ticket's day. */
export interface Served {
  ticketId: string;
  agentId: string;
  day: string;
}

interface ServedDoc {
  _id: string; // the ticket id
  agent_id: string;
}

const servedSchema = new Schema<ServedDoc>({ _id: String, agent_id: { type: String, required: true } }, { versionKey: false });

const servedOfDay = (db: Connection, day: string) => dayModel(db, "analytics_served_day", servedSchema, day);

/** The tickets a change completes with the agent who did. Pure. */
export function servedIn(change: QueueChanged): Served[] {
  const served: Served[] = [];
  for (const event of change.events) {
    const day = (event.ticket as { day?: unknown } | undefined)?.day;
    if (event.type === "ticket.completed" && typeof event.by === "string" && typeof day === "string") served.push({ ticketId: event.ticket!.id, agentId: event.by, day });
  }
  return served;
}

/** Records who served each ticket, one insert per day; a ticket recorded already (a change heard again) keeps its record. */
export async function recordServed(db: Connection, served: readonly Served[]): Promise<void> {
  const byDay = groupBy(served, (s) => s.day);
  await Promise.all([...byDay].map(([day, ofDay]) => claimEach(servedOfDay(db, day), ofDay.map((s): ServedDoc => ({ _id: s.ticketId, agent_id: s.agentId })))));
}

/** The agent who served a ticket of that day, if one was recorded. */
export async function servedBy(db: Connection, ticketId: string, day: string): Promise<string | null> {
  return (await servedOfDay(db, day).findById(ticketId).lean<ServedDoc>())?.agent_id ?? null;
}

/** Beyond two batches, a record still missing is taken as none: its batch is late by more than a busy node's delays. */
const LATE_BATCH_MS = 1000;

/**
 * The agent who served a ticket, waiting for a record not written yet: the node counting
 * the ticket's queue writes them in a batch every `flushMs`, so a rating made moments
 * after the ticket was completed would otherwise find none (and count for no agent).
 * Waits until two batches after `finishedAt` at most; null when there is none by then: a
 * ticket completed by no one named, or a record lost with a node that crashed.
 */
export async function servedByWhenWritten(
  lookup: () => Promise<string | null>,
  finishedAt: number,
  flushMs: number,
  { now = Date.now, pause = sleep }: { now?: () => number; pause?: (ms: number) => Promise<unknown> } = {},
): Promise<string | null> {
  const until = finishedAt + 2 * flushMs + LATE_BATCH_MS;
  for (;;) {
    const agent = await lookup();
    if (agent !== null || now() >= until) return agent;
    await pause(Math.min(flushMs / 4, until - now()));
  }
}
