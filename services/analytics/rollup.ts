// What a queue's events add to its rollups, and how rollups add up. A rollup holds the
// figures of one series for one UTC hour or day (Senegal keeps UTC all year). A series is
// a queue, or one of its counters, or one agent's work in it: all written by the queue's
// owner alone, so each rollup has one writer. Branches and organisations are their
// queues' series merged when read (reads.ts). The change a queue's owner broadcasts
// (`queue.changed`) becomes one contribution per rollup and per queue version it touches,
// and a rollup takes a contribution only if its version is past the last one it counted:
// a replayed or re-broadcast change adds nothing. Pure.
import type { ChangedEvent, QueueChanged } from "../events.ts";
import * as sketch from "./sketch.ts";

export interface Durations {
  count: number;
  sum_ms: number;
  sketch: sketch.Sketch;
}

export interface Figures {
  issued: number;
  called: number;
  recalled: number;
  served: number;
  /** Served tickets whose wait (issue → first call) was within the queue's target. */
  served_within_target: number;
  no_show: number;
  cancelled: number;
  transferred_out: number;
  transferred_in: number;
  expired: number;
  /** Issued → first call. */
  wait: Durations;
  /** Started (or, if never started, called) → completed. */
  service: Durations;
  /** Tickets issued by channel (mobile, kiosk, agent, sms). */
  channels: Record<string, number>;
  /** Tickets issued by UTC hour ("00"–"23"): the peak hours. */
  issued_by_hour: Record<string, number>;
  /** Waiting tickets cancelled (the citizen gave up, or staff took them out), by the place in
   * line they left from, in POSITION_BUCKETS. */
  abandoned_by_position: Record<string, number>;
}

export type Period = "hour" | "day";

/** A queue's own figures, or a counter's or an agent's in that queue. */
export type SeriesKind = "queue" | "counter" | "agent";

/** A series' id: the queue's id, or "<queue>/counter/<counter>", "<queue>/agent/<user>". */
export const seriesId = (queueId: string, kind: SeriesKind, memberId: string | null) => (kind === "queue" ? queueId : `${queueId}/${kind}/${memberId}`);

/** Which rollup: a series, an hour ("YYYY-MM-DDTHH") or a day ("YYYY-MM-DD"). */
export interface RollupKey {
  series: string;
  kind: SeriesKind;
  /** The counter's id or the agent's user id; null for a queue. */
  member_id: string | null;
  queue_id: string;
  organization_id: string;
  branch_id: string | null;
  period: Period;
  start: string;
}

export interface Rollup extends RollupKey, Figures {
  _id: string;
  /** The last queue version counted in it. */
  version: number;
}

/** What one change adds to one rollup: its events there, counted when the rollup is written
 * (into the rollup's own copy, with no figures of their own made for them in between). */
export interface Contribution {
  key: RollupKey;
  version: number;
  events: Array<{ event: ChangedEvent; at: number }>;
}

export const rollupId = (series: string, start: string) => `${series}:${start}`;
/** The hour ("YYYY-MM-DDTHH") and the day ("YYYY-MM-DD") of an ISO timestamp. */
const hourOfIso = (iso: string) => iso.slice(0, 13);
const dayOfIso = (iso: string) => iso.slice(0, 10);
export const hourOf = (at: number) => hourOfIso(new Date(at).toISOString());
export const dayOf = (at: number) => dayOfIso(new Date(at).toISOString());

const durations = (): Durations => ({ count: 0, sum_ms: 0, sketch: {} });
export const emptyFigures = (): Figures => ({
  issued: 0, called: 0, recalled: 0, served: 0, served_within_target: 0, no_show: 0, cancelled: 0, transferred_out: 0, transferred_in: 0, expired: 0,
  wait: durations(), service: durations(), channels: {}, issued_by_hour: {}, abandoned_by_position: {},
});

/** Places in line grouped as a manager reads them: the first three one by one, then wider bands. */
const POSITION_BUCKETS = [[1, "1"], [2, "2"], [3, "3"], [5, "4-5"], [10, "6-10"], [20, "11-20"]] as const;
export const positionBucket = (position: number) => POSITION_BUCKETS.find(([upTo]) => position <= upTo)?.[1] ?? "21+";

const COUNTED = {
  "ticket.called": "called",
  "ticket.recalled": "recalled",
  "ticket.completed": "served",
  "ticket.no_show": "no_show",
  "ticket.cancelled": "cancelled",
  "ticket.transferred_out": "transferred_out",
  "ticket.transferred_in": "transferred_in",
  "ticket.expired": "expired",
} as const satisfies Record<string, keyof Figures>;

type TicketTimes = { issued_at?: number; called_at?: number | null; first_called_at?: number; started_at?: number | null; finished_at?: number | null; channel?: string; counter_id?: string | null };

function timed(d: Durations, ms: number | null): void {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return;
  d.count++;
  d.sum_ms += ms;
  sketch.addInto(d.sketch, ms);
}

const since = (from: number | null | undefined, to: number | null | undefined) => (typeof from === "number" && typeof to === "number" ? to - from : null);

const isCounted = (type: string) => type === "ticket.issued" || type in COUNTED;

/** The series an event counts in: its queue always; the ticket's counter and the agent who
 * gave the command when it holds a figure for them. */
function seriesOf(event: ChangedEvent): Array<[SeriesKind, string | null]> {
  const out: Array<[SeriesKind, string | null]> = [["queue", null]];
  if (!isCounted(event.type)) return out;
  const counter = (event.ticket as TicketTimes | undefined)?.counter_id;
  if (typeof counter === "string") out.push(["counter", counter]);
  if (typeof event.by === "string") out.push(["agent", event.by]);
  return out;
}

/** Adds one event to figures (in place); `targetWaitMs` is the target of a queue that has none of its own. */
export function count(figures: Figures, event: ChangedEvent, at: number, targetWaitMs: number): void {
  const ticket = (event.ticket ?? {}) as TicketTimes;
  if (event.type === "ticket.issued") {
    figures.issued++;
    const channel = ticket.channel ?? "unknown";
    figures.channels[channel] = (figures.channels[channel] ?? 0) + 1;
    const hour = hourOf(at).slice(11, 13);
    figures.issued_by_hour[hour] = (figures.issued_by_hour[hour] ?? 0) + 1;
    return;
  }
  const field = COUNTED[event.type as keyof typeof COUNTED];
  if (!field) return;
  figures[field]++;
  if (event.type === "ticket.cancelled" && typeof event.position === "number") {
    const bucket = positionBucket(event.position);
    figures.abandoned_by_position[bucket] = (figures.abandoned_by_position[bucket] ?? 0) + 1;
  }
  if (event.type === "ticket.called") timed(figures.wait, since(ticket.issued_at, ticket.called_at ?? at));
  if (event.type === "ticket.completed") {
    timed(figures.service, since(ticket.started_at ?? ticket.called_at, ticket.finished_at ?? at));
    // A ticket called before the first call was kept has only its latest call: exact unless it was recalled.
    const waited = since(ticket.issued_at, ticket.first_called_at ?? ticket.called_at);
    if (waited !== null && waited <= (event.target_wait_ms ?? targetWaitMs)) figures.served_within_target++;
  }
}

/** The contributions of one change: per rollup (its series, its hour and its day) and per version. */
export function contributionsOf(change: QueueChanged): Contribution[] {
  const out = new Map<string, Contribution>();
  for (const event of change.events) {
    const at = typeof event.at === "number" ? event.at : change.sent_at;
    const iso = new Date(at).toISOString();
    for (const [kind, member_id] of seriesOf(event)) {
      const series = seriesId(change.queue_id, kind, member_id);
      for (const [period, start] of [["hour", hourOfIso(iso)], ["day", dayOfIso(iso)]] as const) {
        const id = `${rollupId(series, start)}@${event.version}`;
        let c = out.get(id);
        if (!c) {
          const key = { series, kind, member_id, queue_id: change.queue_id, organization_id: change.organization_id, branch_id: change.branch_id, period, start };
          c = { key, version: event.version, events: [] };
          out.set(id, c);
        }
        c.events.push({ event, at });
      }
    }
  }
  return [...out.values()];
}

export function mergeFigures(a: Figures, b: Figures): Figures {
  return addFigures(copyFigures(a), b);
}

const copyDurations = (d: Durations): Durations => ({ count: d.count, sum_ms: d.sum_ms, sketch: { ...d.sketch } });

/** figuresOf, with every part its own, so that it may be changed. */
function copyFigures(f: Figures): Figures {
  const figures = figuresOf(f);
  return {
    ...figures,
    wait: copyDurations(figures.wait), service: copyDurations(figures.service),
    channels: { ...figures.channels }, issued_by_hour: { ...figures.issued_by_hour }, abandoned_by_position: { ...figures.abandoned_by_position },
  };
}

/** Adds b into `into` (in place; `into` is the caller's own, as copyFigures makes one). */
function addFigures(into: Figures, b: Figures): Figures {
  const sum = (x: Record<string, number>, y: Record<string, number> | undefined) => {
    for (const k in y) x[k] = (x[k] ?? 0) + y[k]!;
  };
  const both = (x: Durations, y: Durations) => {
    x.count += y.count;
    x.sum_ms += y.sum_ms;
    sketch.mergeInto(x.sketch, y.sketch);
  };
  into.issued += b.issued; into.called += b.called; into.recalled += b.recalled; into.served += b.served;
  into.served_within_target += b.served_within_target ?? 0;
  into.no_show += b.no_show; into.cancelled += b.cancelled; into.transferred_out += b.transferred_out;
  into.transferred_in += b.transferred_in; into.expired += b.expired;
  both(into.wait, b.wait);
  both(into.service, b.service);
  sum(into.channels, b.channels);
  sum(into.issued_by_hour, b.issued_by_hour);
  sum(into.abandoned_by_position, b.abandoned_by_position);
  return into;
}

/**
 * A rollup with the contributions it has not counted yet, or null when it had them all.
 * Contributions are taken in version order; one at or below the last counted is skipped.
 * `targetWaitMs`: the target wait of a queue without its own (the deployment's default).
 * The stored rollup is copied once and the contributions' events counted into the copy: a
 * busy queue's rollup takes hundreds in a batch, and figures made for each contribution,
 * then merged into a new rollup, were most of the analytics service's time and garbage.
 */
export function applied(stored: Rollup | null, key: RollupKey, contributions: readonly Contribution[], targetWaitMs: number): Rollup | null {
  let rollup: Rollup | null = null;
  let version = stored?.version ?? -1;
  for (const c of [...contributions].sort((x, y) => x.version - y.version)) {
    if (c.version <= version) continue;
    // The key's fields are written again on a stored rollup: one written before series existed lacks them.
    rollup ??= stored ? { ...stored, ...key, ...copyFigures(stored) } : { _id: rollupId(key.series, key.start), ...key, version, ...emptyFigures() };
    for (const { event, at } of c.events) count(rollup, event, at, targetWaitMs);
    version = c.version;
  }
  if (rollup) rollup.version = version;
  return rollup;
}

const mean = (d: Durations) => (d.count ? Math.round(d.sum_ms / d.count) : null);

/** Figures as the API shows them: durations as count, mean, median and p90 (ms). */
export function summary(f: Figures) {
  const shown = (d: Durations) => ({ count: d.count, mean_ms: mean(d), median_ms: sketch.quantile(d.sketch, 0.5), p90_ms: sketch.quantile(d.sketch, 0.9) });
  const hours = Object.entries(f.issued_by_hour).sort(([h1, n1], [h2, n2]) => n2 - n1 || h1.localeCompare(h2));
  const ended = f.served + f.no_show + f.cancelled + f.expired;
  return {
    issued: f.issued, called: f.called, recalled: f.recalled, served: f.served,
    served_within_target: f.served_within_target, served_within_target_share: f.served ? f.served_within_target / f.served : null,
    no_show: f.no_show, cancelled: f.cancelled,
    transferred_out: f.transferred_out, transferred_in: f.transferred_in, expired: f.expired,
    no_show_rate: ended ? f.no_show / ended : null,
    wait: shown(f.wait), service: shown(f.service),
    channels: f.channels,
    issued_by_hour: f.issued_by_hour,
    peak_hour: hours[0]?.[0] ?? null,
    abandoned_by_position: f.abandoned_by_position,
  };
}

/** Just the figures of a rollup (for merging and showing). */
export function figuresOf(r: Figures): Figures {
  const { issued, called, recalled, served, no_show, cancelled, transferred_out, transferred_in, expired, wait, service, channels, issued_by_hour } = r;
  const abandoned_by_position = r.abandoned_by_position ?? {};
  const served_within_target = r.served_within_target ?? 0;
  return { issued, called, recalled, served, served_within_target, no_show, cancelled, transferred_out, transferred_in, expired, wait, service, channels, issued_by_hour, abandoned_by_position };
}
