// A synthetic office day, seeded, whose answers are known: every figure of the rollups is
// compared exactly, and replayed or duplicated changes change nothing.
import assert from "node:assert/strict";
import type { QueueChanged } from "../../services/events.ts";
import { applied, contributionsOf, figuresOf, mergeFigures, emptyFigures, positionBucket, rollupId, summary, type Rollup } from "../../services/analytics/rollup.ts";

const QUEUE = "q1";
const DAY = "2026-12-01";
const T0 = Date.parse(`${DAY}T08:00:00Z`);
/** The deployment's target wait, for a queue without its own. */
const DEFAULT_TARGET_MS = 15 * 60_000;
/** The queue's own target, named on some completions (as after the office set one). */
const QUEUE_TARGET_MS = 10 * 60_000;

/** One change per command, versions 1, 2, 3 … as the host broadcasts them. */
function anOfficeDay(tickets: number) {
  let seed = 42;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const timeline: Array<{ at: number; type: string; ticket: Record<string, unknown>; target_wait_ms?: number }> = [];
  const want = { issued: 0, called: 0, served: 0, served_within_target: 0, no_show: 0, cancelled: 0, waits: [] as number[], services: [] as number[], channels: {} as Record<string, number>, byHour: {} as Record<string, number> };
  for (let i = 0; i < tickets; i++) {
    const issued_at = T0 + Math.floor(random() * 8 * 3_600_000);
    const channel = ["mobile", "kiosk", "agent", "sms"][i % 4]!;
    const ticket = { id: `t${i}`, user_id: null, channel, issued_at };
    timeline.push({ at: issued_at, type: "ticket.issued", ticket });
    want.issued++;
    want.channels[channel] = (want.channels[channel] ?? 0) + 1;
    const hour = new Date(issued_at).toISOString().slice(11, 13);
    want.byHour[hour] = (want.byHour[hour] ?? 0) + 1;
    if (i % 10 === 9) {
      timeline.push({ at: issued_at + 60_000, type: "ticket.cancelled", ticket: { ...ticket, finished_at: issued_at + 60_000 } });
      want.cancelled++;
      continue;
    }
    const wait = 30_000 + Math.floor(random() * 1_800_000);
    const called_at = issued_at + wait;
    timeline.push({ at: called_at, type: "ticket.called", ticket: { ...ticket, called_at } });
    want.called++;
    want.waits.push(wait);
    if (i % 10 === 4) {
      timeline.push({ at: called_at + 120_000, type: "ticket.no_show", ticket: { ...ticket, called_at } });
      want.no_show++;
      continue;
    }
    // Every seventh is recalled once: its latest call moves, its first stays and ended the wait.
    const recalled_at = i % 7 === 0 ? called_at + 20 * 60_000 : called_at;
    const calls = { called_at: recalled_at, first_called_at: called_at };
    const started_at = recalled_at + 30_000;
    const service = 60_000 + Math.floor(random() * 900_000);
    timeline.push({ at: started_at, type: "ticket.started", ticket: { ...ticket, ...calls, started_at } });
    const target = i % 3 === 0 ? { target_wait_ms: QUEUE_TARGET_MS } : {};
    timeline.push({ at: started_at + service, type: "ticket.completed", ticket: { ...ticket, ...calls, started_at, finished_at: started_at + service }, ...target });
    want.served++;
    if (wait <= (target.target_wait_ms ?? DEFAULT_TARGET_MS)) want.served_within_target++;
    want.services.push(service);
  }
  timeline.sort((a, b) => a.at - b.at);
  const changes: QueueChanged[] = timeline.map((e, n) => ({
    queue_id: QUEUE, organization_id: "org1", branch_id: null, from_version: n + 1, version: n + 1,
    events: [{ type: e.type, queue_id: QUEUE, version: n + 1, at: e.at, ticket: e.ticket as never, ...(e.target_wait_ms ? { target_wait_ms: e.target_wait_ms } : {}) }],
    next: [], sent_at: e.at + 5,
  }));
  return { changes, want };
}

/** Rollups as the writer keeps them, in memory: each batch applied to what is stored. */
function counted(batches: QueueChanged[][]) {
  const stored = new Map<string, Rollup>();
  for (const batch of batches) {
    const byRollup = new Map<string, ReturnType<typeof contributionsOf>>();
    for (const c of batch.flatMap((change) => contributionsOf(change))) {
      const id = rollupId(c.key.queue_id, c.key.start);
      byRollup.set(id, [...(byRollup.get(id) ?? []), c]);
    }
    for (const [id, cs] of byRollup) {
      const next = applied(stored.get(id) ?? null, cs[0]!.key, cs, DEFAULT_TARGET_MS);
      if (next) stored.set(id, next);
    }
  }
  return stored;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const inBatches = <T>(xs: T[], size: number) => Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, (i + 1) * size));

describe("rollups of a queue's events", () => {
  const { changes, want } = anOfficeDay(400);

  it("counts a seeded office day exactly in the day's rollup", () => {
    const day = counted(inBatches(changes, 37)).get(rollupId(QUEUE, DAY))!;
    assert.equal(day.issued, want.issued);
    assert.equal(day.called, want.called);
    assert.equal(day.served, want.served);
    assert.equal(day.served_within_target, want.served_within_target);
    assert.equal(day.no_show, want.no_show);
    assert.equal(day.cancelled, want.cancelled);
    assert.deepEqual(day.channels, want.channels);
    assert.deepEqual(day.issued_by_hour, want.byHour);
    assert.deepEqual({ count: day.wait.count, sum_ms: day.wait.sum_ms }, { count: want.waits.length, sum_ms: sum(want.waits) });
    assert.deepEqual({ count: day.service.count, sum_ms: day.service.sum_ms }, { count: want.services.length, sum_ms: sum(want.services) });
    assert.equal(day.version, changes.length);
  });

  it("adds the hours up to the day", () => {
    const stored = counted([changes]);
    const hours = [...stored.values()].filter((r) => r.period === "hour");
    const merged = hours.map(figuresOf).reduce(mergeFigures, emptyFigures());
    assert.deepEqual(merged, figuresOf(stored.get(rollupId(QUEUE, DAY))!));
  });

  it("shows the median wait within 5 % of the exact one", () => {
    const shown = summary(counted([changes]).get(rollupId(QUEUE, DAY))!);
    const sorted = [...want.waits].sort((a, b) => a - b);
    const median = sorted[Math.ceil(0.5 * sorted.length) - 1]!;
    assert.ok(Math.abs(shown.wait.median_ms! - median) / median <= 0.05, `${shown.wait.median_ms} vs ${median}`);
    assert.equal(shown.wait.mean_ms, Math.round(sum(want.waits) / want.waits.length));
  });

  it("shows the share served within target: the queue's own target where it has one, else the default", () => {
    const shown = summary(counted([changes]).get(rollupId(QUEUE, DAY))!);
    assert.ok(want.served_within_target > 0 && want.served_within_target < want.served, "some served within target, some not");
    assert.equal(shown.served_within_target, want.served_within_target);
    assert.equal(shown.served_within_target_share, want.served_within_target / want.served);
    assert.equal(summary(emptyFigures()).served_within_target_share, null, "none served: no share");
  });

  it("changes nothing when every change is heard twice", () => {
    const once = counted(inBatches(changes, 50));
    const twice = counted(inBatches(changes.flatMap((c) => [c, c]), 50));
    assert.deepEqual(twice, once);
  });

  it("changes nothing when a stretch of changes is replayed after a failover", () => {
    const once = counted([changes]);
    const replayed = counted([changes.slice(0, 300), changes.slice(250)]);
    assert.deepEqual(replayed, once);
  });

  it("counts a rollup's contributions in version order whatever order a batch holds them in", () => {
    const once = counted([changes]);
    assert.deepEqual(counted([[...changes].reverse()]), once);
  });

  it("leaves the stored rollup and the contributions it adds unchanged (the writer keeps what it wrote)", () => {
    const [first, second] = inBatches(changes, 200);
    const stored = counted([first!]).get(rollupId(QUEUE, DAY))!;
    const contributions = second!.flatMap((change) => contributionsOf(change)).filter((c) => c.key.period === "day");
    const before = structuredClone({ stored, contributions });
    const next = applied(stored, contributions[0]!.key, contributions, DEFAULT_TARGET_MS)!;
    assert.deepEqual({ stored, contributions }, before);
    assert.equal(next.issued, stored.issued + contributions.filter((c) => c.events.some(({ event }) => event.type === "ticket.issued")).length);
    assert.notEqual(next.wait.sketch, stored.wait.sketch);
  });

  it("groups abandonment by place in line: the first three one by one, then wider bands", () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 10, 11, 20, 21, 400].map(positionBucket), ["1", "2", "3", "4-5", "4-5", "6-10", "6-10", "11-20", "11-20", "21+", "21+"]);
  });
});
