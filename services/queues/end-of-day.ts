// The end of an office day: every active queue whose closing time has passed is closed
// once that local day (the scheduler's `queues.end-of-day` job asks every few minutes).
// Closing expires whoever still waits, with END_OF_DAY as the reason. The day's numbering
// needs no reset here: numbers restart with the first ticket of the next local day
// (actors/queue/numbering.ts) — restarting them at closing time would hand out A-001
// twice should the queue be reopened the same evening.
// Closing time: the end of the last opening interval of the day, from the service's own
// hours or its branch's, in the branch's time zone. Days without hours (weekends,
// holidays) close nothing: whoever opened the queue then closes it.
import type { Context } from "moleculer";
import { DateTime } from "luxon";
import { claimOnce } from "../../mixins/db/claim.ts";
import { DEFAULT_OPENING_HOURS, DEFAULT_TIME_ZONE, WEEKDAYS, type OpeningHours } from "../business/opening-hours.ts";
import { isInvalidTransition, sendCommand } from "./actor-calls.ts";
import type { QueueDoc, QueuesStore } from "./store.ts";

export const END_OF_DAY = "end of day: the office is closed";

export interface DayHours {
  opening_hours: OpeningHours;
  holidays: string[];
  time_zone: string;
}

/** The local day (YYYY-MM-DD) whose closing time has passed at `now`; null while open or on a day without hours. */
export function dayClosedAt(hours: DayHours, now: number): string | null {
  const local = DateTime.fromMillis(now, { zone: hours.time_zone });
  const day = local.toISODate()!;
  const intervals = hours.opening_hours[WEEKDAYS[local.weekday - 1]];
  if (hours.holidays.includes(day) || intervals.length === 0) return null;
  const [hour, minute] = intervals.map((i) => i.close).sort().at(-1)!.split(":").map(Number);
  return local >= local.set({ hour, minute, second: 0, millisecond: 0 }) ? day : null;
}

interface ServiceHours {
  opening_hours: OpeningHours | null;
}

async function hoursOf(ctx: Context, queue: QueueDoc, branches: Map<string, DayHours | null>): Promise<DayHours> {
  const service = queue.service_id ? await ctx.call<ServiceHours | null, { id: string }>("business.services.byId", { id: queue.service_id }) : null;
  let branch: DayHours | null = null;
  if (queue.branch_id) {
    if (!branches.has(queue.branch_id)) branches.set(queue.branch_id, await ctx.call<DayHours | null, { id: string }>("business.branches.byId", { id: queue.branch_id }));
    branch = branches.get(queue.branch_id)!;
  }
  return {
    opening_hours: service?.opening_hours ?? branch?.opening_hours ?? DEFAULT_OPENING_HOURS,
    holidays: branch?.holidays ?? [],
    time_zone: branch?.time_zone ?? DEFAULT_TIME_ZONE,
  };
}

/** Closes the queues past their closing time, each once a local day; answers how many. */
export async function closeAtEndOfDay(ctx: Context, store: QueuesStore, now: number, organizationId?: string): Promise<{ closed: number; already_closed: number }> {
  const counts = { closed: 0, already_closed: 0 };
  const branches = new Map<string, DayHours | null>();
  const filter = organizationId ? { is_active: true, organization_id: organizationId } : { is_active: true };
  const queues = await store.queues.find(filter).lean<Array<QueueDoc & { _id: unknown }>>();
  for (const queue of queues) {
    const id = String(queue._id);
    const day = dayClosedAt(await hoursOf(ctx, queue, branches), now);
    // The claim makes it once a day across runs and nodes; an agent may reopen after it.
    if (!day || !(await claimOnce(store.endOfDay, `${id}:${day}`, { at: new Date(now) }))) continue;
    try {
      await sendCommand(ctx, id, { type: "close", reason: END_OF_DAY });
      counts.closed++;
    } catch (err) {
      if (isInvalidTransition(err)) {
        counts.already_closed++;
        continue;
      }
      // Not closed: give the claim back so the next run tries again.
      await store.endOfDay.deleteOne({ _id: `${id}:${day}` });
      throw err;
    }
  }
  return counts;
}
