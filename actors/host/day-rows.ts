// How a day's views (ticket-views.ts) store a ticket's row: the fields a list filters on,
// and the ticket's number, as they are; everything else packed into one JSON string, as
// the journal is (journal.ts). FerretDB decodes every field of every document a filter
// reads, and a staff list reads all of its day: 6,000 rows cost it about 600 ms of CPU
// per list with their 22 fields, 260–285 ms packed
// (docs/bench-runs/2026-12-04-packed-day-rows.md). Rows written before are read as they are.
import type { TicketDoc } from "./store.ts";

/** A row as a day's views hold it now. */
export interface PackedDayRow {
  _id: string;
  /** What lists filter on: a staff member's organisation, a citizen's own, one queue. */
  organization_id: string;
  branch_id: string | null;
  queue_id: string;
  user_id: string | null;
  number: string;
  /** The row's other fields, as JSON. */
  packed: string;
}

export function packedDayRow(row: TicketDoc): PackedDayRow {
  const { _id, organization_id, branch_id, queue_id, user_id, number, ...rest } = row;
  return { _id, organization_id, branch_id, queue_id, user_id, number, packed: JSON.stringify(rest) };
}

/** A row as stored in a day's views, packed or (written before packing) not. */
export function dayRowOf(doc: TicketDoc | PackedDayRow): TicketDoc {
  if (!("packed" in doc) || typeof doc.packed !== "string") return doc as TicketDoc;
  // The plain fields set on the parsed object, not both spread into a new one: a list
  // reads every row of its day, and spreading both into a new object took about ten times
  // as long (110 against 8–14 ms for 9,000 rows).
  const row = JSON.parse(doc.packed) as TicketDoc;
  row._id = doc._id;
  row.organization_id = doc.organization_id;
  row.branch_id = doc.branch_id;
  row.queue_id = doc.queue_id;
  row.user_id = doc.user_id;
  row.number = doc.number;
  return row;
}
