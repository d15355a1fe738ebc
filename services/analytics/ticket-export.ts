// The tickets of an organisation for a period as CSV, streamed: one day's view
// (`tickets_day_YYYY_MM_DD` and its ends, actors/host/ticket-views.ts) after the other, read through a
// cursor in batches, each row turned into a line as it comes, so a million rows never sit
// in memory. The rows are the read model's: they trail the queues by the projector's lag,
// and an open ticket shows its state as of its last projected commit.
// Ticket rows hold no phone number or name (only the citizen's user id), so there is
// nothing to mask in them.
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import type { Connection } from "mongoose";
import { streamRowsOfDay } from "../../actors/host/ticket-views.ts";
import type { TicketDoc } from "../../actors/host/store.ts";
import { daysFrom } from "./reads.ts";

export const TICKET_COLUMNS = [
  "ticket_id", "day", "number", "organization_id", "branch_id", "queue_id", "status", "channel", "priority", "user_id", "appointment_id",
  "issued_at", "called_at", "started_at", "finished_at", "wait_seconds", "service_seconds", "counter_id", "recalls", "transferred_from", "reason",
] as const;

const CURSOR_BATCH = 1000;

const iso = (ms: number | null | undefined) => (typeof ms === "number" ? new Date(ms).toISOString() : "");
const seconds = (from: number | null | undefined, to: number | null | undefined) => (typeof from === "number" && typeof to === "number" ? Math.round((to - from) / 1000) : "");

export function ticketLine(row: TicketDoc): Record<(typeof TICKET_COLUMNS)[number], string | number> {
  return {
    ticket_id: row._id, day: row.day, number: row.number, organization_id: row.organization_id, branch_id: row.branch_id ?? "", queue_id: row.queue_id,
    status: row.status, channel: row.channel, priority: row.priority, user_id: row.user_id ?? "", appointment_id: row.appointment_id ?? "",
    issued_at: iso(row.issued_at), called_at: iso(row.called_at), started_at: iso(row.started_at), finished_at: iso(row.finished_at),
    wait_seconds: seconds(row.issued_at, row.called_at), service_seconds: seconds(row.started_at ?? row.called_at, row.finished_at),
    counter_id: row.counter_id ?? "", recalls: row.recalls ?? 0, transferred_from: row.transferred_from ?? "", reason: row.reason ?? "",
  };
}

/** An organisation's ticket rows, day after day (UTC days of issue, as the views file them). */
async function* ticketRows(db: Connection, organizationId: string, from: string, to: string): AsyncGenerator<TicketDoc> {
  for (const day of daysFrom(from, to)) {
    // A day's view holds every organisation's rows of that day: the filter scans that day only.
    yield* streamRowsOfDay(db, day, { organization_id: organizationId }, CURSOR_BATCH);
  }
}

/** The CSV, as a stream the gateway pipes to the client. */
export function ticketsCsv(db: Connection, organizationId: string, from: string, to: string): Readable {
  const lines = Readable.from(ticketRows(db, organizationId, from, to), { objectMode: true }).map(ticketLine);
  const csv = stringify({ header: true, columns: [...TICKET_COLUMNS] });
  lines.on("error", (err) => csv.destroy(err));
  return lines.pipe(csv);
}
