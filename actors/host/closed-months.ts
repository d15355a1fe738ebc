// A citizen's finished months, folded into one document per year. "My tickets" reads
// every document the citizen's months document lists (ticket-views.ts): up to 16 parts
// for each month they took tickets in, or one per month written whole before the parts.
// So a citizen with a year behind them cost a dozen reads or more beyond this month's, and
// one more each month. Once a month is over and every ticket in it has ended, nothing
// writes to it again (an end is final: nothing supersedes it); its documents are folded
// into the citizen's year (`<user>:YYYY`, listed as "YYYY", every row under `ends`), and
// "my tickets" costs one read per year of history instead of one per month.
//
// The fold writes the year first, then lists it, then unlists and deletes the months: a
// reader between two steps finds a row twice and keeps one (rowsOf), and a fold
// interrupted at any step is done again by the next. Two folds of one citizen at once
// write the same final rows field by field, so neither loses the other's. Not covered: a
// row written to a month between a fold's reads and its delete (only a read model more
// than two days behind writes there) is dropped from the citizen's list, though not from
// the read model or the day's view.
import type { LoggerInstance } from "moleculer";
import { groupBy } from "../../mixins/group-by.ts";
import { ENDED_STATUSES } from "../queue/index.ts";
import type { TicketDoc } from "./store.ts";
import { monthsOverBefore, packedCitizenRow, readListed, rowsOf, type CitizenDocs } from "./ticket-views.ts";

/** A month's whole document ("YYYY-MM") or one of its parts ("YYYY-MM:<part>"); not a year. */
const MONTH_ENTRY = /^\d{4}-\d{2}(:[0-9a-f]+)?$/;

/**
 * Folds the citizen's months that are over and whose tickets have all ended into their
 * years. Answers the months-document entries folded.
 */
export async function foldFinishedMonths(docs: CitizenDocs, userId: string, now: number): Promise<string[]> {
  const listed = (await docs.months.findOne({ _id: userId }))?.months ?? [];
  const before = monthsOverBefore(now);
  const monthOfEntry = (entry: string) => entry.slice(0, 7);
  const byMonth = groupBy(listed.filter((entry) => MONTH_ENTRY.test(entry) && monthOfEntry(entry) < before), monthOfEntry);
  const folded: string[] = [];
  const foldedRows: TicketDoc[] = [];
  for (const entries of byMonth.values()) {
    const rows = rowsOf(await readListed(docs, userId, entries));
    // A ticket still open (or between two queues) may yet be written to its month.
    if (!rows.every((row) => ENDED_STATUSES.has(row.status))) continue;
    folded.push(...entries);
    foldedRows.push(...rows);
  }
  if (!folded.length) return [];
  // A month with no rows left (folded meanwhile by another node) is only unlisted.
  const years = [...groupBy(foldedRows, (row) => row.day.slice(0, 4))];
  if (years.length) {
    await docs.tickets.bulkWrite(
      years.map(([year, rows]) => ({ updateOne: { filter: { _id: `${userId}:${year}` }, update: { $set: Object.fromEntries(rows.map((row) => [`ends.${row._id}`, packedCitizenRow(row)])) }, upsert: true } })),
      { ordered: false },
    );
    await docs.months.updateOne({ _id: userId }, { $addToSet: { months: { $each: years.map(([year]) => year) } } });
  }
  await docs.months.updateOne({ _id: userId }, { $pullAll: { months: folded } });
  await docs.tickets.bulkWrite(folded.map((entry) => ({ deleteOne: { filter: { _id: `${userId}:${entry}` } } })), { ordered: false });
  return folded;
}

/**
 * Folds citizens' months behind the projector, one citizen at a time: offered each
 * citizen a projection batch lists a new part for (their first ticket of a month, of a
 * part, or since this node started), and each at most once a month on this node. A fold
 * that fails is logged and done again at a later offer; nothing depends on it but the
 * number of reads "my tickets" makes.
 */
export class MonthFolds {
  /** Per citizen: the month before which their months were last folded here. */
  private readonly folded = new Map<string, string>();
  private readonly waiting = new Set<string>();
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly docs: CitizenDocs,
    private readonly logger: LoggerInstance,
    private readonly clock: () => number = Date.now,
  ) {}

  offer(userIds: Iterable<string>): void {
    const before = monthsOverBefore(this.clock());
    for (const userId of userIds) if (this.folded.get(userId) !== before) this.waiting.add(userId);
    if (this.waiting.size && !this.running && !this.stopped) this.running = this.drain().finally(() => (this.running = null));
  }

  /** Resolves once every citizen offered so far has been folded (or failed). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async drain(): Promise<void> {
    for (const userId of this.waiting) {
      if (this.stopped) return;
      this.waiting.delete(userId);
      const now = this.clock();
      try {
        await foldFinishedMonths(this.docs, userId, now);
        // Forgetting everything now and then keeps it bounded; the cost is one read per citizen.
        if (this.folded.size >= FOLDED_KEPT) this.folded.clear();
        this.folded.set(userId, monthsOverBefore(now));
      } catch (err) {
        this.logger.warn({ err, user_id: userId }, "a citizen's finished months were not folded; trying again at their next new part");
      }
    }
  }
}

const FOLDED_KEPT = 100_000;
