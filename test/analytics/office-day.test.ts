// A synthetic office day with known answers: an organisation of two branches, three
// queues, their counters and three agents, its events generated from a seed. Written by
// the rollup writer into the real database, heard twice and partly replayed, then read back
// per organisation, branch, queue, counter and agent, by day and by hour: every statistic
// is compared exactly with the one computed from the generated facts, abandonment by
// place in line and the share served within target (one queue has its own target, the
// others the default) included.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Connection } from "mongoose";
import { connectMongo } from "../../mixins/db/connection.ts";
import { ensureIndexes } from "../../mixins/db/models.ts";
import { countedSeries, hoursFrom, scopeSeries } from "../../services/analytics/reads.ts";
import { emptyFigures, positionBucket, summary, type Durations, type Figures } from "../../services/analytics/rollup.ts";
import { RollupWriter } from "../../services/analytics/rollup-writer.ts";
import { seriesIn, type Scope } from "../../services/analytics/scopes.ts";
import * as sketch from "../../services/analytics/sketch.ts";
import { analyticsStore, type AnalyticsStore } from "../../services/analytics/store.ts";
import type { QueueChanged } from "../../services/events.ts";
import { mongoUrl } from "../support/system.ts";

const DAY = "2026-11-27";
const OPENING = Date.parse(`${DAY}T08:00:00Z`);
const HOUR_MS = 3_600_000;
/** The deployment's target wait, for queues without their own; q2 has its own, shorter. */
const DEFAULT_TARGET_MS = 15 * 60_000;
const Q2_TARGET_MS = 10 * 60_000;

interface Fact {
  queue: string;
  at: number;
  kind: "issued" | "called" | "no_show" | "served" | "cancelled";
  channel?: string;
  counter?: string;
  agent?: string;
  ms?: number;
  /** A cancelled waiting ticket's place in line. */
  position?: number;
  /** A served ticket's wait was within its queue's target. */
  within_target?: boolean;
}

/** Two branches, three queues; the same counter names in two queues; agents working in several. */
function anOrganisation() {
  const run = randomUUID().slice(0, 8);
  const queue = (name: string, branch: string, counters: string[], agents: string[], target_wait_ms?: number) => ({ id: `${name}-${run}`, branch, counters, agents, target_wait_ms });
  return {
    organization_id: `org-${run}`,
    queues: [queue("q1", "b1", ["c1", "c2"], ["a1", "a2"]), queue("q2", "b1", ["c1"], ["a2"], Q2_TARGET_MS), queue("q3", "b2", ["c3", "c4"], ["a3", "a1"])],
  };
}

/** The day of one queue: its changes as its owner broadcasts them, and the facts they hold. */
function aQueueDay(org: ReturnType<typeof anOrganisation>, q: (typeof org.queues)[number], tickets: number, seed: number) {
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const timeline: Array<{ at: number; type: string; by?: string; position?: number; target_wait_ms?: number; ticket: Record<string, unknown> }> = [];
  const facts: Fact[] = [];
  for (let i = 0; i < tickets; i++) {
    const issued_at = OPENING + Math.floor(random() * 8 * HOUR_MS);
    const channel = pick(["mobile", "kiosk", "agent", "sms"]);
    const ticket = { id: `${q.id}-t${i}`, user_id: null, channel, issued_at, counter_id: null };
    timeline.push({ at: issued_at, type: "ticket.issued", ticket });
    facts.push({ queue: q.id, at: issued_at, kind: "issued", channel });
    const agent = pick(q.agents);
    if (i % 10 === 9) {
      // Every other cancellation is the citizen's own (nobody named), the others an agent's.
      const at = issued_at + 60_000 + Math.floor(random() * 600_000);
      const by = i % 20 === 9 ? agent : undefined;
      const position = 1 + Math.floor(random() * 30);
      timeline.push({ at, type: "ticket.cancelled", by, position, ticket: { ...ticket, finished_at: at } });
      facts.push({ queue: q.id, at, kind: "cancelled", position, ...(by ? { agent: by } : {}) });
      continue;
    }
    const counter = pick(q.counters);
    const wait = 20_000 + Math.floor(random() * 2_400_000);
    const called_at = issued_at + wait;
    const called = { ...ticket, counter_id: counter, called_at };
    timeline.push({ at: called_at, type: "ticket.called", by: agent, ticket: called });
    facts.push({ queue: q.id, at: called_at, kind: "called", counter, agent, ms: wait });
    if (i % 10 === 4) {
      timeline.push({ at: called_at + 180_000, type: "ticket.no_show", by: agent, ticket: { ...called, finished_at: called_at + 180_000 } });
      facts.push({ queue: q.id, at: called_at + 180_000, kind: "no_show", counter, agent });
      continue;
    }
    const started_at = called_at + 20_000 + Math.floor(random() * 60_000);
    const service = 45_000 + Math.floor(random() * 1_200_000);
    timeline.push({ at: started_at, type: "ticket.started", by: agent, ticket: { ...called, started_at } });
    const target = q.target_wait_ms ? { target_wait_ms: q.target_wait_ms } : {};
    timeline.push({ at: started_at + service, type: "ticket.completed", by: agent, ...target, ticket: { ...called, first_called_at: called_at, started_at, finished_at: started_at + service } });
    facts.push({ queue: q.id, at: started_at + service, kind: "served", counter, agent, ms: service, within_target: wait <= (q.target_wait_ms ?? DEFAULT_TARGET_MS) });
  }
  timeline.sort((a, b) => a.at - b.at);
  // Versions 1, 2, 3 … one per event; every seventh change carries two events, as a group commit may.
  const changes: QueueChanged[] = [];
  for (let n = 0; n < timeline.length; n += n % 7 === 6 ? 2 : 1) {
    const events = timeline.slice(n, n % 7 === 6 ? n + 2 : n + 1).map((e, k) => ({
      type: e.type, queue_id: q.id, version: n + k + 1, at: e.at, ticket: e.ticket as never, ...(e.by ? { by: e.by } : {}), ...(e.position ? { position: e.position } : {}), ...(e.target_wait_ms ? { target_wait_ms: e.target_wait_ms } : {}),
    }));
    changes.push({ queue_id: q.id, organization_id: org.organization_id, branch_id: q.branch, from_version: n + 1, version: n + events.length, events, next: [], sent_at: events.at(-1)!.at + 3 });
  }
  return { changes, facts };
}

/** The figures the facts give, computed on their own. */
function figuresFrom(facts: readonly Fact[]): Figures {
  const f = emptyFigures();
  const timed = (d: Durations, ms: number) => {
    d.count++;
    d.sum_ms += ms;
    sketch.addInto(d.sketch, ms);
  };
  for (const fact of facts) {
    if (fact.kind === "issued") {
      f.issued++;
      f.channels[fact.channel!] = (f.channels[fact.channel!] ?? 0) + 1;
      const hour = new Date(fact.at).toISOString().slice(11, 13);
      f.issued_by_hour[hour] = (f.issued_by_hour[hour] ?? 0) + 1;
    } else if (fact.kind === "called") {
      f.called++;
      timed(f.wait, fact.ms!);
    } else if (fact.kind === "served") {
      f.served++;
      if (fact.within_target) f.served_within_target++;
      timed(f.service, fact.ms!);
    } else if (fact.kind === "cancelled") {
      f.cancelled++;
      const bucket = positionBucket(fact.position!);
      f.abandoned_by_position[bucket] = (f.abandoned_by_position[bucket] ?? 0) + 1;
    } else f[fact.kind]++;
  }
  return f;
}

describe("analytics of a synthetic office day, per organisation, branch, queue, counter and agent", function () {
  let db: Connection;
  let store: AnalyticsStore;
  const org = anOrganisation();
  const days = org.queues.map((q, i) => aQueueDay(org, q, 160 + 40 * i, 7 + i));
  const facts = days.flatMap((d) => d.facts);
  const branchOf = new Map(org.queues.map((q) => [q.id, q.branch]));
  const o = org.organization_id;

  /** Every scope of the organisation, with the facts that belong to it. */
  const scopes: Array<[Scope, (f: Fact) => boolean]> = [
    [{ kind: "organization", organization_id: o }, () => true],
    ...["b1", "b2"].map((b): [Scope, (f: Fact) => boolean] => [{ kind: "branch", organization_id: o, branch_id: b }, (f) => branchOf.get(f.queue) === b]),
    ...org.queues.map((q): [Scope, (f: Fact) => boolean] => [{ kind: "queue", organization_id: o, queue_id: q.id }, (f) => f.queue === q.id]),
    ...org.queues.flatMap((q) => q.counters.map((c): [Scope, (f: Fact) => boolean] => [{ kind: "counter", organization_id: o, queue_id: q.id, counter_id: c }, (f) => f.queue === q.id && f.counter === c])),
    ...["a1", "a2", "a3"].map((a): [Scope, (f: Fact) => boolean] => [{ kind: "agent", organization_id: o, agent_id: a }, (f) => f.agent === a]),
  ];

  before(async function () {
    this.timeout(120_000);
    db = await connectMongo(mongoUrl());
    store = analyticsStore(db);
    await ensureIndexes(store);
    const writer = new RollupWriter(store, 60_000, DEFAULT_TARGET_MS, (err) => assert.fail(String(err)));
    // Heard in batches, every change twice, then a stretch of each queue's changes replayed after a failover.
    for (const { changes } of days) {
      for (let i = 0; i < changes.length; i += 50) {
        for (const c of changes.slice(i, i + 50)) writer.add(c), writer.add(c);
        await writer.flush();
      }
    }
    for (const { changes } of days) for (const c of changes.slice(changes.length / 3, (2 * changes.length) / 3)) writer.add(c);
    await writer.flush();
  });
  after(() => db.close());

  const figuresOfScope = async (scope: Scope, granularity: "day" | "hour") => {
    const series = seriesIn(await countedSeries(store, o), scope).map((s) => s.series);
    return scopeSeries(store, series, granularity, DAY, DAY, null);
  };
  const name = (scope: Scope) => Object.values(scope).slice(1).join(" ");

  it("counts every statistic of every scope's day exactly, however often a change was heard", async () => {
    assert.ok(facts.length > 1000);
    for (const [scope, holds] of scopes) {
      const { totals, results } = await figuresOfScope(scope, "day");
      const want = summary(figuresFrom(facts.filter(holds)));
      assert.ok(want.issued + want.called > 0, `${name(scope)} has figures`);
      assert.ok(scope.kind !== "queue" || (want.served_within_target > 0 && want.served_within_target < want.served), `${name(scope)} has served within target and not`);
      assert.deepEqual(totals, want, name(scope));
      assert.deepEqual(results, [{ start: DAY, ...want }], name(scope));
    }
  });

  it("counts every statistic of every scope's hours exactly", async () => {
    for (const [scope, holds] of scopes) {
      const { results } = await figuresOfScope(scope, "hour");
      const want = hoursFrom(DAY, DAY).map((hour) => ({ start: hour, ...summary(figuresFrom(facts.filter((f) => holds(f) && new Date(f.at).toISOString().startsWith(hour)))) }));
      assert.deepEqual(results, want, name(scope));
    }
  });

  it("adds a branch's queues up to the branch and the branches up to the organisation", async () => {
    const [organization, b1, b2] = await Promise.all(scopes.slice(0, 3).map(([scope]) => figuresOfScope(scope, "day")));
    assert.equal(b1!.totals.issued + b2!.totals.issued, organization!.totals.issued);
    assert.equal(b1!.totals.wait.count + b2!.totals.wait.count, organization!.totals.wait.count);
  });
});
