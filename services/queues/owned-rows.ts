// Listed rows as they are now. The read model writes a ticket's row when it arrives and
// when it ends (actors/host/read-model.ts); in between, only the queue's owner knows
// whether it was called or started. So a list puts the owner's version over every row
// that is still open: one call per queue (per chunk), whatever the list's length.
import type { Model } from "mongoose";
import type { TicketDoc } from "../../actors/host/store.ts";
import { readTicketRow } from "../../actors/host/ticket-ends.ts";
import { OPEN_STATUSES, type Ticket } from "../../actors/queue/index.ts";
import { mapLimited } from "../../mixins/db/limited.ts";
import { readTickets, type Caller } from "./actor-calls.ts";
import { OWNED_ROWS_PER_CALL } from "./schemas.ts";

export async function withOwnersVersions(ctx: Caller, tickets: Model<TicketDoc>, rows: TicketDoc[]): Promise<TicketDoc[]> {
  const openByQueue = new Map<string, TicketDoc[]>();
  for (const row of rows) {
    if (!OPEN_STATUSES.has(row.status)) continue;
    const queue = openByQueue.get(row.queue_id);
    if (queue) queue.push(row);
    else openByQueue.set(row.queue_id, [row]);
  }
  const fresh = new Map<string, TicketDoc>();
  const asked = [...openByQueue].flatMap(([queueId, open]) => chunks(open, OWNED_ROWS_PER_CALL).map((chunk) => ({ queueId, chunk })));
  await mapLimited(asked, CALLS_IN_FLIGHT, async ({ queueId, chunk }) => {
    const versions = await readTickets(ctx, queueId, chunk.map((row) => row._id));
    const forgotten: TicketDoc[] = [];
    chunk.forEach((row, i) => {
      const version = versions[i];
      if (version) fresh.set(row._id, rowOf(row, version));
      else forgotten.push(row);
    });
    // Unknown to the owner: it ended (or left) and its row was written since the list read it.
    for (const row of await reread(tickets, forgotten)) fresh.set(row._id, row);
  });
  return rows.map((row) => fresh.get(row._id) ?? row);
}

const CALLS_IN_FLIGHT = 8;

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** The row with the owner's version of its ticket (the row's placement fields stay). */
function rowOf(row: TicketDoc, { id: _id, ...ticket }: Ticket): TicketDoc {
  return { ...row, ...ticket };
}

async function reread(tickets: Model<TicketDoc>, rows: TicketDoc[]): Promise<TicketDoc[]> {
  const found = await mapLimited(rows, CALLS_IN_FLIGHT, (row) => readTicketRow(tickets, row._id));
  return found.filter((row): row is TicketDoc => row !== null);
}
