// The queue engine's current waits for the candidates of a nearby search, asked through the
// queues service's actions as the caller (its public status), never its collections: one
// listing per branch, one status per queue of a wanted service there.
import type { Context } from "moleculer";
import { newTicketWaitMs, type Candidate, type QueueWait } from "./nearby.ts";

interface QueueRow {
  id: string;
  service_id: string | null;
  branch_id: string | null;
  is_active: boolean;
}
interface QueueStatus {
  status: string;
  waiting_count: number;
  estimate: { service_ms: number };
  counters: Array<{ open: boolean }>;
}

/** Waits by `<branch>:<service>`; null where the service has no queue there. */
export async function queueWaits(ctx: Context, found: readonly Candidate[]): Promise<Map<string, QueueWait | null>> {
  const waits = new Map<string, QueueWait | null>();
  const branchIds = [...new Set(found.map((c) => c.branch.id))];
  const listings = await Promise.all(
    branchIds.map((branch_id) =>
      ctx.call<{ results: QueueRow[] }, object>("queues.listQueues", { query: { branch_id, is_active: "true", page_size: "100" }, params: {}, body: undefined }),
    ),
  );
  const queues = listings.flatMap((page) => page.results);
  await Promise.all(
    found.map(async (c) => {
      const key = `${c.branch.id}:${c.service.id}`;
      const queue = queues.find((q) => q.branch_id === c.branch.id && q.service_id === c.service.id);
      if (!queue) return void waits.set(key, null);
      const status = await ctx.call<QueueStatus, object>("queues.queueStatus", { params: { id: queue.id }, query: {}, body: undefined });
      waits.set(key, { queue_id: queue.id, status: status.status, waiting_count: status.waiting_count, estimated_wait_ms: newTicketWaitMs(status) });
    }),
  );
  return waits;
}
