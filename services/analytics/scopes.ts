// Whose figures a request reads: the whole platform, an organisation or one of its
// branches (their queues merged), a queue, a counter of a queue, or an agent (their work
// in every queue of the organisation). A scope is answered from the rollups of the series
// it covers (rollup.ts); which series those are is read from what was counted for the
// organisation (store.ts), so nothing outside the organisation is ever read. Pure.
import { seriesId } from "./rollup.ts";
import type { CountedSeries } from "./store.ts";

export type Scope =
  | { kind: "platform" }
  | { kind: "organization"; organization_id: string }
  | { kind: "branch"; organization_id: string; branch_id: string }
  | { kind: "queue"; organization_id: string; queue_id: string }
  | { kind: "counter"; organization_id: string; queue_id: string; counter_id: string }
  | { kind: "agent"; organization_id: string; agent_id: string };

/** The organisation whose counted series hold the scope (null: every organisation's). */
export const organizationOf = (scope: Scope): string | null => (scope.kind === "platform" ? null : scope.organization_id);

/** Whether a counted series is part of the scope. */
function covers(scope: Scope, s: CountedSeries): boolean {
  switch (scope.kind) {
    case "platform":
    case "organization":
      return s.kind === "queue";
    case "branch":
      return s.kind === "queue" && s.branch_id === scope.branch_id;
    case "queue":
      return s.series === scope.queue_id;
    case "counter":
      return s.series === seriesId(scope.queue_id, "counter", scope.counter_id);
    case "agent":
      return s.kind === "agent" && s.member_id === scope.agent_id;
    default:
      return scope satisfies never;
  }
}

/** The series whose rollups add up to the scope's figures, in a stable order. */
export const seriesIn = (counted: readonly CountedSeries[], scope: Scope): CountedSeries[] =>
  counted.filter((s) => covers(scope, s)).sort((a, b) => a.series.localeCompare(b.series));

/** The filter on a day's records (ratings, visits) that selects the scope's. */
export function dayRecordsFilter(scope: Scope): Record<string, string> {
  switch (scope.kind) {
    case "platform":
      return {};
    case "organization":
      return { organization_id: scope.organization_id };
    case "branch":
      return { organization_id: scope.organization_id, branch_id: scope.branch_id };
    case "queue":
      return { queue_id: scope.queue_id };
    case "counter":
      return { queue_id: scope.queue_id, counter_id: scope.counter_id };
    case "agent":
      return { organization_id: scope.organization_id, agent_id: scope.agent_id };
    default:
      return scope satisfies never;
  }
}

/** The scope as the API names it: its kind, its organisation and the ids it was asked for. */
export function scopeOnWire(scope: Scope) {
  const { kind, ...ids } = scope;
  return { scope: kind, organization_id: organizationOf(scope), ...ids };
}

/** The series a scope is broken down into: every series of the queues it covers (an agent: their own). */
export function membersOf(counted: readonly CountedSeries[], scope: Scope): CountedSeries[] {
  const queues = new Set(seriesIn(counted, scope).map((s) => s.queue_id));
  const member = (s: CountedSeries) => (scope.kind === "agent" || scope.kind === "counter" ? covers(scope, s) : queues.has(s.queue_id));
  return counted.filter(member).sort((a, b) => a.series.localeCompare(b.series));
}

/** The names a report shows for a scope, where the services that own them know them. */
export interface ScopeNames {
  organization: string | null;
  branch: string | null;
  queue: string | null;
}

/** How a report titles its scope, in French: "Guichet c1 — file Caisse (Banque X)". */
export function scopeLabel(scope: Scope, names: ScopeNames): string {
  const of = (name: string | null, id: string) => name ?? id;
  const organization = scope.kind === "platform" ? "" : ` (${of(names.organization, scope.organization_id)})`;
  switch (scope.kind) {
    case "platform":
      return "Toute la plateforme";
    case "organization":
      return `Organisation ${of(names.organization, scope.organization_id)}`;
    case "branch":
      return `Agence ${of(names.branch, scope.branch_id)}${organization}`;
    case "queue":
      return `File ${of(names.queue, scope.queue_id)}${organization}`;
    case "counter":
      return `Guichet ${scope.counter_id} — file ${of(names.queue, scope.queue_id)}${organization}`;
    case "agent":
      return `Agent ${scope.agent_id}${organization}`;
    default:
      return scope satisfies never;
  }
}
