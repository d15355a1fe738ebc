// How a day's views (ticket-views.ts) store a ticket's row: under
// `<length of the organisation id>:<organisation>:<length of the queue id>:<queue>:<ticket>`
// (mixins/db/owner-prefix.ts, twice), so that an organisation's rows of a day are a range
// of _ids, and one queue's a range within it: a staff list reads those only, whatever the
// other organisations and queues took that day. A ticket sent to another queue moves to
// that queue's range (ticket-views.ts, writeViews). The fields a list filters on, and the
// ticket's number, are kept as they are; everything else packed into one JSON string, as
// the journal is (journal.ts). FerretDB decodes every field of every document a read
// returns: 6,000 rows cost it about 600 ms of CPU per list with their 22 fields, 260–285
// ms packed (docs/bench-runs/2026-12-04-packed-day-rows.md). Before, rows were kept under
// the ticket's id, and an organisation's list scanned every organisation's rows of the
// day: 300 tickets listed in 44 ms beside none and in 2.7 s beside 20,000 of 20 others
// (`npm run load:staff-list`).
import { ownerPrefix } from "../../mixins/db/owner-prefix.ts";
import type { TicketDoc } from "./store.ts";

/** A row as a day's views hold it. */
export interface PackedDayRow {
  _id: string; // "<length>:<organisation id>:<length>:<queue id>:<ticket id>" (dayRowId)
  /** What lists filter on: a staff member's organisation, a citizen's own, one queue. */
  organization_id: string;
  branch_id: string | null;
  queue_id: string;
  user_id: string | null;
  number: string;
  /** The row's other fields, as JSON. */
  packed: string;
}

/** Where a day's views keep the row of a ticket in a queue of an organisation. */
export const dayRowId = (organizationId: string, queueId: string, ticketId: string) => `${ownerPrefix(organizationId)}${ownerPrefix(queueId)}${ticketId}`;

export function packedDayRow(row: TicketDoc): PackedDayRow {
  const { _id, organization_id, branch_id, queue_id, user_id, number, ...rest } = row;
  return { _id: dayRowId(organization_id, queue_id, _id), organization_id, branch_id, queue_id, user_id, number, packed: JSON.stringify(rest) };
}

/** The ticket a stored row is of, read without unpacking it. */
export const ticketIdOf = (doc: PackedDayRow) => doc._id.slice(ownerPrefix(doc.organization_id).length + ownerPrefix(doc.queue_id).length);

/** A row as stored in a day's views, as the read model holds it. */
export function dayRowOf(doc: PackedDayRow): TicketDoc {
  // The plain fields set on the parsed object, not both spread into a new one: a list
  // reads every row of its organisation's day, and spreading both into a new object took
  // about ten times as long (110 against 8–14 ms for 9,000 rows).
  const row = JSON.parse(doc.packed) as TicketDoc;
  row._id = ticketIdOf(doc);
  row.organization_id = doc.organization_id;
  row.branch_id = doc.branch_id;
  row.queue_id = doc.queue_id;
  row.user_id = doc.user_id;
  row.number = doc.number;
  return row;
}
