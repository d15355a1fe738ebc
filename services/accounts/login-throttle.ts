// Password guessing, slowed across the cluster: failed sign-ins are counted per account
// and per client address in fixed windows (LOGIN_FAILURE_WINDOW_MINUTES), in the database
// so that every node sees the same counts. Once either count is full, sign-ins for that
// account or from that address are refused (429 sign_in_locked, Retry-After) until the
// window ends, even with the right password: a guesser cannot tell a hit from a miss.
// Unknown logins are counted like known ones, so the lock says nothing about who exists.
import type { Model } from "mongoose";
import type { Config } from "../../config/index.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { ClaimDoc } from "../../mixins/db/claim.ts";
import { rateExhausted, takeRateSlot, windowEnd, type RateLimit } from "../../mixins/db/rate-slots.ts";

type ThrottleConfig = Config["loginThrottle"];

export class LoginThrottle {
  private readonly account: RateLimit;
  private readonly address: RateLimit;

  constructor(
    private readonly failures: Model<ClaimDoc>,
    config: ThrottleConfig,
  ) {
    this.account = { limit: config.perAccount, windowMs: config.windowMs };
    this.address = { limit: config.perAddress, windowMs: config.windowMs };
  }

  /** Throws 429 when the account or the address has used up its failures in this window. */
  async check(loginKey: string, address: string, now = Date.now()): Promise<void> {
    const [account, from] = await Promise.all([
      rateExhausted(this.failures, `account:${loginKey}`, this.account, now),
      rateExhausted(this.failures, `address:${address}`, this.address, now),
    ]);
    if (account || from) throw errors.signInLocked(Math.ceil((windowEnd(this.account, now) - now) / 1000));
  }

  async failed(loginKey: string, address: string, now = Date.now()): Promise<void> {
    await Promise.all([
      takeRateSlot(this.failures, `account:${loginKey}`, this.account, now),
      takeRateSlot(this.failures, `address:${address}`, this.address, now),
    ]);
  }
}
