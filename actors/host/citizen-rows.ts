// A citizen's tickets, for "my tickets". Every row the read model takes for a citizen's
// ticket is kept under `<length of the user id>:<user>:<ticket>` (`citizen_tickets`), and
// its end is appended under the same _id (`citizen_ticket_ends`, as ticket-ends.ts does
// for the read model); a citizen's list is one read of each, of the range of _ids under
// the citizen's prefix (mixins/db/owner-prefix.ts). So the list reads
// the citizen's own rows whatever the office's history, and writing them is an insert
// per arrival and per end, batched per projection. The read model takes no version of an
// open ticket between (the list asks its owner: services/queues/owned-rows.ts) but a
// ticket moved to another queue, which replaces its row here: the list must ask the new
// queue, since the first one answers it as "transferred".
// Before, a citizen's rows were fields of documents of a month (in 16 parts), each
// arrival and end an update of one: FerretDB decodes and rewrites a whole document on
// every update, and those updates took about half of its CPU while tickets were issued
// (docs/bench-runs/2026-12-05-citizen-rows.md).
// Rows take exactly what the read model took (read-model.ts decides which version wins).
import { ofOwner, ownerPrefix } from "../../mixins/db/owner-prefix.ts";
import type { WrittenRows } from "./read-model.ts";
import type { HostStore, TicketDoc } from "./store.ts";
import { appendOnce, withEnds } from "./ticket-ends.ts";
import { insertOrReplace, replaceEach } from "./view-writes.ts";

export const CITIZEN_TICKETS = "citizen_tickets";
export const CITIZEN_TICKET_ENDS = "citizen_ticket_ends";

/** A citizen's row as stored: the row packed into one JSON string, as the day's views pack theirs (day-rows.ts). */
export interface CitizenRowDoc {
  _id: string; // "<length of the user id>:<user id>:<ticket id>"
  row: string;
}

type CitizenRow = Pick<TicketDoc, "_id" | "user_id">;
/** Where a row of a citizen's ticket is kept: under the citizen's prefix. */
const citizenRowId = (row: CitizenRow) => `${ownerPrefix(row.user_id!)}${row._id}`;

export const citizenRowDoc = (row: CitizenRow): CitizenRowDoc => ({ _id: citizenRowId(row), row: JSON.stringify(row) });
const rowOf = (doc: CitizenRowDoc): TicketDoc => JSON.parse(doc.row) as TicketDoc;

/** The citizens' rows and ends, through the driver: the rows are the read model's, valid already. */
const citizenRows = (store: HostStore) => store.tickets.db.collection<CitizenRowDoc>(CITIZEN_TICKETS);
const citizenEnds = (store: HostStore) => store.tickets.db.collection<CitizenRowDoc>(CITIZEN_TICKET_ENDS);

/** Every ticket a citizen ever took, as the read model holds it: two reads of a range of _ids. */
export async function ticketsOfUser(store: HostStore, userId: string): Promise<TicketDoc[]> {
  const [rows, ends] = await Promise.all([citizenRows(store).find(ofOwner(userId)).toArray(), citizenEnds(store).find(ofOwner(userId)).toArray()]);
  return withEnds(rows.map(rowOf), ends.map(rowOf));
}

/** Writes the rows of citizens' tickets that the read model has just taken. */
export async function writeCitizenRows(store: HostStore, { inserted, updated, ended }: WrittenRows): Promise<void> {
  const docs = (list: TicketDoc[]) => list.filter((row) => row.user_id).map(citizenRowDoc);
  const ends = docs(ended);
  await Promise.all([
    insertOrReplace(citizenRows(store), docs(inserted)),
    replaceEach(citizenRows(store), docs(updated)),
    ends.length ? appendOnce(() => citizenEnds(store).insertMany(ends, { ordered: false })) : null,
  ]);
}
