// A queue's office hours: its service's own, else its branch's (else the defaults), in its
// branch's time zone, with the branch's holidays. The end-of-day job closes queues by
// them and the start-of-day job opens them.
import type { Context } from "moleculer";
import { DateTime } from "luxon";
import { DEFAULT_OPENING_HOURS, DEFAULT_TIME_ZONE, WEEKDAYS, type OpeningHours } from "../business/opening-hours.ts";
import type { QueueDoc } from "./store.ts";

export interface DayHours {
  opening_hours: OpeningHours;
  holidays: string[];
  time_zone: string;
}

/** One local office day at `now`: its date, and when it opens and closes (epoch ms). */
export interface OfficeDay {
  day: string;
  opensAt: number;
  closesAt: number;
}

/** The office day `now` falls on; null on a day without hours (weekends, holidays). */
export function officeDayAt(hours: DayHours, now: number): OfficeDay | null {
  const local = DateTime.fromMillis(now, { zone: hours.time_zone });
  const day = local.toISODate()!;
  const intervals = hours.opening_hours[WEEKDAYS[local.weekday - 1]];
  if (hours.holidays.includes(day) || intervals.length === 0) return null;
  const at = (time: string) => {
    const [hour, minute] = time.split(":").map(Number);
    return local.set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
  };
  return { day, opensAt: at(intervals.map((i) => i.open).sort()[0]!), closesAt: at(intervals.map((i) => i.close).sort().at(-1)!) };
}

interface ServiceHours {
  opening_hours: OpeningHours | null;
}

/** The queue's hours; `branches` remembers each branch asked for during one job's run. */
export async function hoursOf(ctx: Context, queue: QueueDoc, branches: Map<string, DayHours | null>): Promise<DayHours> {
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
