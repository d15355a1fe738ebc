// Who served a ticket: the agent named on its `ticket.completed` (the command's `by`),
// inserted once under the ticket id in the collection of the ticket's day
// (`analytics_served_day_YYYY_MM_DD`), so that its rating, which comes later, counts for
// that agent too. A ticket completed by no one named (none is, today) has no such record.
import { Schema, type Connection } from "mongoose";
import { claimOnce } from "../../mixins/db/claim.ts";
import type { QueueChanged } from "../events.ts";
import { dayModel } from "./day-collections.ts";

interface ServedDoc {
  _id: string; // the ticket id
  agent_id: string;
}

const servedSchema = new Schema<ServedDoc>({ _id: String, agent_id: { type: String, required: true } }, { versionKey: false });

const servedOfDay = (db: Connection, day: string) => dayModel(db, "analytics_served_day", servedSchema, day);

/** Records who served each ticket a change completes; a change heard again records nothing more. */
export async function recordServers(db: Connection, change: QueueChanged): Promise<void> {
  for (const event of change.events) {
    const day = (event.ticket as { day?: unknown } | undefined)?.day;
    if (event.type !== "ticket.completed" || typeof event.by !== "string" || typeof day !== "string") continue;
    await claimOnce(servedOfDay(db, day), event.ticket!.id, { agent_id: event.by });
  }
}

/** The agent who served a ticket of that day, if one was recorded. */
export async function servedBy(db: Connection, ticketId: string, day: string): Promise<string | null> {
  return (await servedOfDay(db, day).findById(ticketId).lean<ServedDoc>())?.agent_id ?? null;
}
