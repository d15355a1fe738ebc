// The tickets of an organisation for a period as CSV, streamed: one day after the other,
// so a million rows never sit in memory. A closed day that is packed
// (actors/host/day-packs.ts) is read as its packs of ready CSV lines, a few reads by _id;
// any other day from its organisation's rows in its views (`tickets_by_org_day_YYYY_MM_DD` and its ends,
// actors/host/ticket-views.ts) through cursors in batches, turned into lines
// a pack's worth (`ROWS_PER_PACK`) at a time (what stays is the day's ended ticket ids, ~25 bytes
// each: streamRowsOfDay). The rows are the read model's: they trail the queues by the
// projector's lag, and an open ticket shows its state as of its last projected commit.
// Read from the views, the rate is the database's: the embedded FerretDB decodes every
// stored document, one per row and one per end, at a few thousand a second
// (`load-tests/analytics-export.ts`, README "Analytics").
// Ticket rows hold no phone number or name (only the citizen's user id), so there is
// nothing to mask in them.
import { Readable } from "node:stream";
import { stringify } from "csv-stringify/sync";
import type { Connection } from "mongoose";
import { packedDay, packedLines, ROWS_PER_PACK } from "../../actors/host/day-packs.ts";
import { streamRowsOfDay } from "../../actors/host/ticket-views.ts";
import type { TicketDoc } from "../../actors/host/store.ts";
import { daysFrom } from "./reads.ts";

export const TICKET_COLUMNS = [
  "ticket_id", "day", "number", "organization_id", "branch_id", "queue_id", "status", "channel", "priority", "user_id", "appointment_id",
  "issued_at", "called_at", "started_at", "finished_at", "wait_seconds", "service_seconds", "counter_id", "recalls", "transferred_from", "reason",
] as const;

export const CURSOR_BATCH = 1000;

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

/** Rows as CSV lines, no header: the same text whether packed or read from the views. */
export const csvLines = (rows: TicketDoc[]) => stringify(rows.map(ticketLine), { columns: [...TICKET_COLUMNS] });

/** The CSV text, day after day (UTC days of issue, as the views file them). */
async function* ticketsCsvText(db: Connection, organizationId: string, from: string, to: string): AsyncGenerator<string> {
  yield stringify([], { header: true, columns: [...TICKET_COLUMNS] });
  for (const day of daysFrom(from, to)) {
    const packs = await packedDay(db, day);
    if (packs) {
      yield* packedLines(db, day, organizationId, packs[organizationId] ?? 0);
      continue;
    }
    let rows: TicketDoc[] = [];
    for await (const row of streamRowsOfDay(db, day, { organizationId }, CURSOR_BATCH)) {
      rows.push(row);
      // Lines made a pack's worth at a time, as the packing does.
      if (rows.length === ROWS_PER_PACK) {
        yield csvLines(rows);
        rows = [];
      }
    }
    if (rows.length) yield csvLines(rows);
  }
}

/** The CSV, as a stream the gateway pipes to the client. */
export function ticketsCsv(db: Connection, organizationId: string, from: string, to: string): Readable {
  return Readable.from(ticketsCsvText(db, organizationId, from, to), { objectMode: false });
}
