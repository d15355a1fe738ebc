// What the platform's dashboard shows: each organisation's queues summed up (open queues,
// people waiting and being served, alerts raised), and the platform's totals.
import type { QueueSummary } from "./monitor-summary.ts";

export interface Figures {
  queues: number;
  open_queues: number;
  waiting: number;
  serving: number;
  alerts: number;
}

export type OrganizationFigures = Figures & { organization_id: string };

const none = (): Figures => ({ queues: 0, open_queues: 0, waiting: 0, serving: 0, alerts: 0 });

function add(figures: Figures, queue: Figures): void {
  figures.queues += queue.queues;
  figures.open_queues += queue.open_queues;
  figures.waiting += queue.waiting;
  figures.serving += queue.serving;
  figures.alerts += queue.alerts;
}

const figuresOf = (queue: QueueSummary): Figures => ({
  queues: 1,
  open_queues: queue.status === "open" ? 1 : 0,
  waiting: queue.waiting_count,
  serving: queue.serving_count,
  alerts: queue.alerts.length,
});

/** The organisations' figures, by organisation id; only those named in `only` when it is given. */
export function byOrganization(queues: Iterable<QueueSummary>, only?: ReadonlySet<string>): OrganizationFigures[] {
  const sums = new Map<string, OrganizationFigures>();
  for (const queue of queues) {
    if (only && !only.has(queue.organization_id)) continue;
    let sum = sums.get(queue.organization_id);
    if (!sum) sums.set(queue.organization_id, (sum = { organization_id: queue.organization_id, ...none() }));
    add(sum, figuresOf(queue));
  }
  return [...sums.values()].sort((a, b) => a.organization_id.localeCompare(b.organization_id));
}

export function totalsOf(queues: Iterable<QueueSummary>): Figures & { organizations: number } {
  const totals = none();
  const organizations = new Set<string>();
  for (const queue of queues) {
    organizations.add(queue.organization_id);
    add(totals, figuresOf(queue));
  }
  return { organizations: organizations.size, ...totals };
}
