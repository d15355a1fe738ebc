// Figures as the endpoints answer them, read from the rollups by _id only (one read per
// queue and hour or day: the embedded server scans any other filter), merged in memory:
// counts and sums add, sketches merge (sketch.ts), so an organisation's week is exact
// in its counts and as accurate in its quantiles as one hour's.
import { mapLimited } from "../../mixins/db/limited.ts";
import { emptyFigures, figuresOf, mergeFigures, rollupId, summary, type Figures, type Period, type Rollup } from "./rollup.ts";
import { emptyRatings, mergeRatings, ratingSummary, type RatingFigures } from "./ratings.ts";
import type { AnalyticsStore, CountedQueue } from "./store.ts";

/** A day's ratings in the scope asked for (ratings.ts reads them). */
export type DayRatings = (day: string) => Promise<RatingFigures>;

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

const ratingsByDay = async (days: readonly string[], ratingsOf: DayRatings) => new Map(await mapLimited(days, READS_IN_FLIGHT, async (day) => [day, await ratingsOf(day)] as const));

/** One queue's figures per hour or day of a period, and over the whole period; ratings by day. */
export async function queueSeries(store: AnalyticsStore, queueId: string, granularity: Period, from: string, to: string, ratingsOf: DayRatings) {
  const starts = granularity === "day" ? daysFrom(from, to) : hoursFrom(from, to);
  const [byStart, ratings] = await Promise.all([figuresAt(store, [queueId], starts), ratingsByDay(daysFrom(from, to), ratingsOf)]);
  const total = [...byStart.values()].reduce(mergeFigures, emptyFigures());
  const allRatings = [...ratings.values()].reduce(mergeRatings, emptyRatings());
  const ratingsAt = (start: string) => (granularity === "day" ? { ratings: ratingSummary(ratings.get(start)!) } : {});
  return { totals: { ...summary(total), ratings: ratingSummary(allRatings) }, results: starts.map((start) => ({ start, ...summary(byStart.get(start)!), ...ratingsAt(start) })) };
}

/** The queues of an organisation that have had anything counted. */
export async function countedQueues(store: AnalyticsStore, organizationId: string): Promise<string[]> {
  // One document per queue ever counted: this scan grows with the offices, not with history.
  const queues = await store.queues.find({ organization_id: organizationId }, { queue_id: 1 }).lean<CountedQueue[]>();
  return queues.map((q) => q.queue_id).sort();
}

/** An organisation's figures for today and each of the days before it (`days` in all). */
export async function organizationDays(store: AnalyticsStore, organizationId: string, today: string, days: number, ratingsOf: DayRatings) {
  const from = new Date(Date.parse(today) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  const queueIds = await countedQueues(store, organizationId);
  const [byDay, ratings] = await Promise.all([figuresAt(store, queueIds, daysFrom(from, today)), ratingsByDay(daysFrom(from, today), ratingsOf)]);
  const week = [...byDay.values()].reduce(mergeFigures, emptyFigures());
  const weekRatings = [...ratings.values()].reduce(mergeRatings, emptyRatings());
  return {
    organization_id: organizationId,
    queues_counted: queueIds.length,
    today: { day: today, ...summary(byDay.get(today)!), ratings: ratingSummary(ratings.get(today)!) },
    last_7_days: { date_from: from, date_to: today, ...summary(week), ratings: ratingSummary(weekRatings) },
    days: [...byDay.entries()].map(([day, f]) => ({ day, ...summary(f), ratings: ratingSummary(ratings.get(day)!) })),
  };
}
