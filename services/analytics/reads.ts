// Figures as the endpoints answer them, read from the rollups by _id only (one read per
// series and hour or day: the embedded server scans any other filter), merged in memory:
// counts and sums add, sketches merge (sketch.ts), so an organisation's week is exact
// in its counts and as accurate in its quantiles as one hour's.
import { mapLimited } from "../../mixins/db/limited.ts";
import { emptyFigures, figuresOf, mergeFigures, rollupId, summary, type Figures, type Period } from "./rollup.ts";
import { mergeDayRecords, shownDayRecords, type DayRecordFigures, type DayRecords } from "./day-records.ts";
import { readRollup, type AnalyticsStore, type CountedSeries } from "./store.ts";

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

/** The day `days - 1` days before `to`: the first of a period of `days` days ending on it. */
export const periodStart = (to: string, days: number) => new Date(Date.parse(to) - (days - 1) * DAY_MS).toISOString().slice(0, 10);

/** The series counted for an organisation, or for every organisation (null). */
export async function countedSeries(store: AnalyticsStore, organizationId: string | null): Promise<CountedSeries[]> {
  // One document per queue, counter and agent ever counted: this scan grows with the offices, not with history.
  return store.series.find(organizationId === null ? {} : { organization_id: organizationId }).lean<CountedSeries[]>();
}

interface Read {
  series: string;
  start: string;
  figures: Figures | null;
}

async function rollupsAt(store: AnalyticsStore, series: readonly string[], starts: readonly string[]): Promise<Read[]> {
  const pairs = starts.flatMap((start) => series.map((s) => ({ series: s, start })));
  const docs = await mapLimited(pairs, READS_IN_FLIGHT, (p) => readRollup(store, rollupId(p.series, p.start)));
  return pairs.map((p, i) => ({ ...p, figures: docs[i] ? figuresOf(docs[i]) : null }));
}

/** The reads merged per key (every key present, empty when nothing was read for it). */
function mergedBy(reads: readonly Read[], keys: readonly string[], keyOf: (r: Read) => string): Map<string, Figures> {
  const out = new Map(keys.map((k) => [k, emptyFigures()]));
  for (const r of reads) if (r.figures && out.has(keyOf(r))) out.set(keyOf(r), mergeFigures(out.get(keyOf(r))!, r.figures));
  return out;
}

const total = (figures: Iterable<Figures>) => [...figures].reduce(mergeFigures, emptyFigures());

async function recordsByDay(days: readonly string[], recordsOf: DayRecords): Promise<Map<string, DayRecordFigures> | null> {
  if (!recordsOf) return null;
  return new Map(await mapLimited(days, READS_IN_FLIGHT, async (day) => [day, await recordsOf(day)] as const));
}

const allRecords = (records: Map<string, DayRecordFigures> | null) => (records?.size ? [...records.values()].reduce(mergeDayRecords) : undefined);

/** A scope's figures per hour or day of a period, and over the whole period; ratings and appointments by day where read. */
export async function scopeSeries(store: AnalyticsStore, series: readonly string[], granularity: Period, from: string, to: string, recordsOf: DayRecords) {
  const starts = granularity === "day" ? daysFrom(from, to) : hoursFrom(from, to);
  const [reads, records] = await Promise.all([rollupsAt(store, series, starts), recordsByDay(daysFrom(from, to), recordsOf)]);
  const byStart = mergedBy(reads, starts, (r) => r.start);
  const recordsAt = (start: string) => (granularity === "day" ? shownDayRecords(records?.get(start)) : {});
  return {
    totals: { ...summary(total(byStart.values())), ...shownDayRecords(allRecords(records)) },
    results: starts.map((start) => ({ start, ...summary(byStart.get(start)!), ...recordsAt(start) })),
  };
}

/** Figures over a period by branch, queue, counter and agent, from each series' figures. */
function breakdown(members: readonly CountedSeries[], bySeries: Map<string, Figures>) {
  const group = <I extends Record<string, string | null>>(kind: CountedSeries["kind"], keyOf: (s: CountedSeries) => string, idsOf: (s: CountedSeries) => I) => {
    const groups = new Map<string, { ids: I; figures: Figures }>();
    for (const s of members.filter((m) => m.kind === kind)) {
      const g = groups.get(keyOf(s)) ?? { ids: idsOf(s), figures: emptyFigures() };
      g.figures = mergeFigures(g.figures, bySeries.get(s.series) ?? emptyFigures());
      groups.set(keyOf(s), g);
    }
    return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, g]) => ({ ...g.ids, ...summary(g.figures) }));
  };
  return {
    by_branch: group("queue", (s) => s.branch_id ?? "", (s) => ({ branch_id: s.branch_id })),
    by_queue: group("queue", (s) => s.queue_id, (s) => ({ queue_id: s.queue_id })),
    by_counter: group("counter", (s) => s.series, (s) => ({ queue_id: s.queue_id, counter_id: s.member_id })),
    by_agent: group("agent", (s) => s.member_id ?? "", (s) => ({ agent_id: s.member_id })),
  };
}

/** The figures over a period (whole days) of a scope's members, by branch, queue, counter and agent. */
export async function membersOver(store: AnalyticsStore, members: readonly CountedSeries[], from: string, to: string) {
  const ids = members.map((s) => s.series);
  return breakdown(members, mergedBy(await rollupsAt(store, ids, daysFrom(from, to)), ids, (r) => r.series));
}

/**
 * A scope's figures for today and each of the days before it (`days` in all), and over
 * those days by branch, queue, counter and agent. `scoped` are the series adding up to the
 * scope; `members` those it is broken down into.
 */
export async function scopeDays(store: AnalyticsStore, scoped: readonly CountedSeries[], members: readonly CountedSeries[], today: string, days: number, recordsOf: DayRecords) {
  const period = daysFrom(periodStart(today, days), today);
  const scopedIds = scoped.map((s) => s.series);
  const all = [...new Set([...scopedIds, ...members.map((s) => s.series)])];
  const [reads, records] = await Promise.all([rollupsAt(store, all, period), recordsByDay(period, recordsOf)]);
  const inScope = new Set(scopedIds);
  const byDay = mergedBy(reads.filter((r) => inScope.has(r.series)), period, (r) => r.start);
  return {
    queues_counted: new Set(scoped.map((s) => s.queue_id)).size,
    today: { day: today, ...summary(byDay.get(today)!), ...shownDayRecords(records?.get(today)) },
    last_7_days: {
      date_from: period[0]!, date_to: today, ...summary(total(byDay.values())), ...shownDayRecords(allRecords(records)),
      ...breakdown(members, mergedBy(reads, all, (r) => r.series)),
    },
    days: period.map((day) => ({ day, ...summary(byDay.get(day)!), ...shownDayRecords(records?.get(day)) })),
  };
}
