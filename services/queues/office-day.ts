// The office day, kept by the scheduler (jobs asked every few minutes):
// - at opening time, every active queue set to open by itself (`opening: "automatic"`,
//   the default) is opened once that local day, unless someone closed it after the day's
//   opening time (the actor keeps when it closed): a queue closed by hand stays closed;
// - at closing time every active queue is closed once that local day; closing expires
//   whoever still waits, with END_OF_DAY as the reason. An agent may reopen it after.
// Hours are the queue's service's or branch's (queue-hours.ts). Days without hours
// (weekends, holidays) open and close nothing. The day's numbering needs no reset here:
// numbers restart with the first ticket of the next local day (actors/queue/numbering.ts)
// — restarting them at closing time would hand out A-001 twice should the queue be
// reopened the same evening.
import type { Context } from "moleculer";
import type { Model } from "mongoose";
import { claimOnce } from "../../mixins/db/claim.ts";
import { isInvalidTransition, sendCommand } from "./actor-calls.ts";
import { hoursOf, officeDayAt, type DayHours } from "./queue-hours.ts";
import type { DailyStepDoc, QueueDoc, QueuesStore } from "./store.ts";

export const END_OF_DAY = "end of day: the office is closed";

/** The local day (YYYY-MM-DD) whose closing time has passed at `now`; null while open or on a day without hours. */
export function dayClosedAt(hours: DayHours, now: number): string | null {
  const today = officeDayAt(hours, now);
  return today && now >= today.closesAt ? today.day : null;
}

/** The office day that is open at `now` (from its opening time to its closing time); null outside it. */
export function dayOpenAt(hours: DayHours, now: number): { day: string; opensAt: number } | null {
  const today = officeDayAt(hours, now);
  return today && now >= today.opensAt && now < today.closesAt ? { day: today.day, opensAt: today.opensAt } : null;
}

type QueueCommand = { type: "close"; reason: string } | { type: "open"; if_closed_before: number };

/** What a daily step does to one queue on the day it is due; null when it is not due at `now`. */
type DueStep = (hours: DayHours, now: number) => { day: string; command: QueueCommand } | null;

/**
 * Sends each queue its step once on each day it is due, across runs and nodes (a claim per
 * queue and day, given back if the command fails otherwise than by the queue being in that
 * state already). Answers how many it changed and how many were so already.
 */
async function oncePerDay(ctx: Context, queues: Array<QueueDoc & { _id: unknown }>, claims: Model<DailyStepDoc>, now: number, due: DueStep) {
  const counts = { changed: 0, already: 0 };
  const branches = new Map<string, DayHours | null>();
  for (const queue of queues) {
    const id = String(queue._id);
    const step = due(await hoursOf(ctx, queue, branches), now);
    if (!step) continue;
    const claim = `${id}:${step.day}`;
    if (!(await claimOnce(claims, claim, { at: new Date(now) }))) continue;
    try {
      await sendCommand(ctx, id, step.command);
      counts.changed++;
    } catch (err) {
      if (!isInvalidTransition(err)) {
        await claims.deleteOne({ _id: claim }); // the next run tries again
        throw err;
      }
      counts.already++;
    }
  }
  return counts;
}

const activeQueues = (store: QueuesStore, organizationId: string | undefined, extra: Record<string, unknown> = {}) =>
  store.queues.find({ is_active: true, ...(organizationId && { organization_id: organizationId }), ...extra }).lean<Array<QueueDoc & { _id: unknown }>>();

/** Closes the queues past their closing time, each once a local day. */
export async function closeAtEndOfDay(ctx: Context, store: QueuesStore, now: number, organizationId?: string): Promise<{ closed: number; already_closed: number }> {
  const close: DueStep = (hours, at) => {
    const day = dayClosedAt(hours, at);
    return day ? { day, command: { type: "close", reason: END_OF_DAY } } : null;
  };
  const { changed, already } = await oncePerDay(ctx, await activeQueues(store, organizationId), store.endOfDay, now, close);
  return { closed: changed, already_closed: already };
}

/** Opens the queues that open by themselves, each once a local day, from its opening time. */
export async function openAtStartOfDay(ctx: Context, store: QueuesStore, now: number, organizationId?: string): Promise<{ opened: number; left: number }> {
  const open: DueStep = (hours, at) => {
    const today = dayOpenAt(hours, at);
    return today ? { day: today.day, command: { type: "open", if_closed_before: today.opensAt } } : null;
  };
  const { changed, already } = await oncePerDay(ctx, await activeQueues(store, organizationId, { opening: { $ne: "manual" } }), store.startOfDay, now, open);
  return { opened: changed, left: already };
}
