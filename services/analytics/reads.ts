// Figures as the endpoints answer them, read from the rollups by _id only (one read per
// queue and hour or day: the embedded server scans any other filter), merged in memory:
// counts and sums add, sketches merge (sketch.ts), so an organisation's week is exact
// in its counts and as accurate in its quantiles as one hour's.
import { mapLimited } from "../../mixins/db/limited.ts";
import { emptyFigures, figuresOf, mergeFigures, rollupId, summary, type Figures, type Period, type Rollup } from "./rollup.ts";
import type { AnalyticsStore, CountedQueue } from "./store.ts";

const READS_IN_FLIGHT = 8;
const DAY_MS = 86_400_000;

/** Every day from `from` to `to` (YYYY-MM-DD), both included. */
export function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Every hour ("YYYY-MM-DDTHH") of those days. */
export const hoursFrom = (from: string, to: string) => daysFrom(from, to).flatMap((day) => Array.from({ length: 24 }, (_, h) => `${day}T${String(h).padStart(2, "0")}`));

async function figuresAt(store: AnalyticsStore, queueIds: readonly string[], starts: readonly string[]): Promise<Map<string, Figures>> {
  const pairs = starts.flatMap((start) => queueIds.map((queueId) => ({ start, id: rollupId(queueId, start) })));
  const docs = await mapLimited(pairs, READS_IN_FLIGHT, ({ id }) => store.rollups.findOne({ _id: id }).lean<Rollup>());
  const byStart = new Map<string, Figures>(starts.map((s) => [s, emptyFigures()]));
  pairs.forEach(({ start }, i) => {
    const doc = docs[i];
    if (doc) byStart.set(start, mergeFigures(byStart.get(start)!, figuresOf(doc)));
  });
  return byStart;
}

/** One queue's figures per hour or day of a period, and over the whole period. */
export async function queueSeries(store: AnalyticsStore, queueId: string, granularity: Period, from: string, to: string) {
  const starts = granularity === "day" ? daysFrom(from, to) : hoursFrom(from, to);
  const byStart = await figuresAt(store, [queueId], starts);
  const total = [...byStart.values()].reduce(mergeFigures, emptyFigures());
  return { totals: summary(total), results: starts.map((start) => ({ start, ...summary(byStart.get(start)!) })) };
}

/** The queues of an organisation that have had anything counted. */
export async function countedQueues(store: AnalyticsStore, organizationId: string): Promise<string[]> {
  // One document per queue ever counted: this scan grows with the offices, not with history.
  const queues = await store.queues.find({ organization_id: organizationId }, { queue_id: 1 }).lean<CountedQueue[]>();
  return queues.map((q) => q.queue_id).sort();
}

/** An organisation's figures for today and each of the days before it (`days` in all). */
export async function organizationDays(store: AnalyticsStore, organizationId: string, today: string, days: number) {
  const from = new Date(Date.parse(today) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  const queueIds = await countedQueues(store, organizationId);
  const byDay = await figuresAt(store, queueIds, daysFrom(from, today));
  const week = [...byDay.values()].reduce(mergeFigures, emptyFigures());
  return {
    organization_id: organizationId,
    queues_counted: queueIds.length,
    today: { day: today, ...summary(byDay.get(today)!) },
    last_7_days: { date_from: from, date_to: today, ...summary(week) },
    days: [...byDay.entries()].map(([day, f]) => ({ day, ...summary(f) })),
  };
}
