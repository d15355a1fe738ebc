// Per-recipient rate limits: at most `limit` messages per channel and recipient in each
// fixed window. A message takes a numbered place in its window by inserting
// `<channel>:<recipient>:<window>:<n>` — the one write that is atomic on MongoDB and
// FerretDB alike — so concurrent senders on several nodes never exceed the limit.
import type { Model } from "mongoose";
import { claimOnce } from "../../platform/mongo/claim.ts";
import type { ClaimDoc } from "./store.ts";

export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** true: the message may go; false: the recipient had `limit` messages in this window already. */
export async function takeRateSlot(slots: Model<ClaimDoc>, prefix: string, rate: RateLimit, now = Date.now()): Promise<boolean> {
  const window = Math.floor(now / rate.windowMs);
  const base = `${prefix}:${window}:`;
  const expires_at = new Date((window + 1) * rate.windowMs);
  // Claim the first free place by insert, from the first: a count of the places taken would
  // be a range on _id, which FerretDB answers by scanning every slot of every recipient;
  // a few inserts by _id cost the same at any size.
  for (let n = 0; n < rate.limit; n++) {
    if (await claimOnce(slots, `${base}${String(n).padStart(4, "0")}`, { expires_at })) return true;
  }
  return false;
}
