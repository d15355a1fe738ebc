// Counting across nodes: at most `limit` events per key in each fixed window (messages to
// one recipient by one channel, failed logins of one account). An event takes a numbered
// place in its window by inserting `<key>:<window>:<n>` — the one write that is atomic on
// MongoDB and FerretDB alike — so concurrent callers on several nodes never exceed it.
import type { Model } from "mongoose";
import { claimFirstFree, type ClaimDoc } from "./claim.ts";

export interface RateLimit {
  limit: number;
  windowMs: number;
}

const slotId = (prefix: string, window: number, n: number) => `${prefix}:${window}:${String(n).padStart(4, "0")}`;

/** When the window holding `now` ends. */
export const windowEnd = (rate: RateLimit, now = Date.now()) => (Math.floor(now / rate.windowMs) + 1) * rate.windowMs;

/**
 * Where this node last found the first free place of a key's window. Places are only ever
 * taken in order, so every place before a claimed one is taken: the next claim may start
 * there instead of at 0, and a daily cap of hundreds costs a few inserts, not hundreds.
 */
const nextFree = new Map<string, number>();
const HINTS_KEPT = 10_000;

/** true: the event may happen; false: the key had `limit` events in this window already. */
export async function takeRateSlot(slots: Model<ClaimDoc>, prefix: string, rate: RateLimit, now = Date.now()): Promise<boolean> {
  const window = Math.floor(now / rate.windowMs);
  const expires_at = new Date(windowEnd(rate, now));
  const hintKey = `${prefix}:${window}`;
  // Claim the first free place by insert: a count of the places taken would be a range on
  // _id, which FerretDB answers by scanning every slot of every key; a few inserts by _id
  // cost the same at any size.
  const taken = await claimFirstFree(slots, (n) => slotId(prefix, window, n), { expires_at }, nextFree.get(hintKey) ?? 0, rate.limit);
  if (nextFree.size >= HINTS_KEPT && !nextFree.has(hintKey)) nextFree.delete(nextFree.keys().next().value!);
  nextFree.set(hintKey, taken === null ? rate.limit : taken + 1);
  return taken !== null;
}

/** Has the key had `limit` events in this window? One read by _id: its last place. */
export async function rateExhausted(slots: Model<ClaimDoc>, prefix: string, rate: RateLimit, now = Date.now()): Promise<boolean> {
  return (await slots.exists({ _id: slotId(prefix, Math.floor(now / rate.windowMs), rate.limit - 1) })) !== null;
}
