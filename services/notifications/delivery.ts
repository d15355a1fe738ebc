// The delivery log at work: one delivery per (idempotency key, recipient, channel), claimed
// by its insert; a rate-limit place; then attempts, each retry claimed as `<delivery>#<n>`
// so that no two nodes make the same attempt (the first is the delivery's claimer's). A failure a retry may cure schedules the next attempt
// through the scheduler with exponential backoff; the first attempt is watched over by a
// row noted before it (delivery-watches.ts); nothing here throws a provider's failure to
// the caller — it is written down in the delivery instead.
import { createHash } from "node:crypto";
import type { LoggerInstance } from "moleculer";
import { errors, ProviderError } from "../../mixins/api/errors.ts";
import { claimOnce } from "../../mixins/db/claim.ts";
import type { SmsAttempt } from "./providers/fallback-sms.ts";
import { smsSender, type Providers } from "./providers/from-config.ts";
import type { SendResult } from "./providers/types.ts";
import { ownerPrefix } from "../../mixins/db/owner-prefix.ts";
import { takeRateSlot } from "../../mixins/db/rate-slots.ts";
import { forgetOrganizationDeliveryRow, noteOrganizationDelivery } from "./organization-deliveries.ts";
import { endWatch, sweepDueWatches, watchFirstAttempt } from "./delivery-watches.ts";
import { updateByIdGrouped } from "../../mixins/db/grouped-updates.ts";
import type { AttemptRecord, DeliveryChannel, DeliveryDoc, LoggedChannel, NotificationsStore } from "./store.ts";

export interface DeliverySettings {
  maxAttempts: number;
  retryDelayMs: number;
  retryMaxDelayMs: number;
  rateLimit: number;
  rateWindowMs: number;
}

/** What a caller says about a new delivery; the courier fills in the rest. */
export type NewDelivery = Pick<DeliveryDoc, "event" | "idempotency_key" | "user_id" | "recipient" | "message">
  & Partial<Pick<DeliveryDoc, "organization_id" | "requested_by">> & { channel: DeliveryChannel };

export interface CourierDeps {
  store: NotificationsStore;
  providers: Providers;
  settings: DeliverySettings;
  /** Has `notifications.retryDelivery({ delivery_id, attempt })` called at `at`. */
  scheduleRetry(deliveryId: string, attempt: number, at: Date): Promise<void>;
  /** A push token the provider says is dead (FCM UNREGISTERED). */
  forgetPushToken(userId: string, token: string): Promise<void>;
  /** A delivery reached its end (sent, or failed for good): for the user's live channel. */
  settled(delivery: DeliveryDoc): void;
  logger: LoggerInstance;
  now?: () => number;
}

/** The provider an in-app message is logged with. */
const INBOX = "inbox";

/** A new delivery's fields, nothing tried yet. */
function queued(input: Omit<NewDelivery, "channel"> & { channel: LoggedChannel }) {
  return {
    organization_id: null, requested_by: null, ...input,
    status: "queued" as const, attempts: 0, provider: null, provider_message_id: null, last_error: null, error_code: null,
    history: [] as AttemptRecord[], next_attempt_at: null, sent_at: null,
  };
}

/** A stable id for what must happen once: the same inputs give the same id on every node. */
export function onceId(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 24);
}

/** A delivery's id: to a user, under the user's prefix (owner-prefix.ts), as their in-app
 * messages are (inbox.ts), so that a user's deliveries are a range of _ids; to an address
 * alone, the once id. */
export const deliveryId = (channel: DeliveryChannel, recipientKey: string, idempotencyKey: string, userId: string | null) =>
  `${userId ? ownerPrefix(userId) : ""}${onceId(channel, recipientKey, idempotencyKey)}`;

/** Wait before attempt n+1 after attempt n failed. */
export function backoffMs(settings: DeliverySettings, failedAttempt: number): number {
  return Math.min(settings.retryDelayMs * 2 ** (failedAttempt - 1), settings.retryMaxDelayMs);
}

const ATTEMPT_CLAIM_MS = 7 * 24 * 3600_000;
const DEAD_PUSH_TOKEN = new Set(["UNREGISTERED", "NOT_FOUND"]);

export class Courier {
  private readonly now: () => number;

  constructor(private readonly deps: CourierDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Whether this node can send on the channel at all. */
  canSend(channel: DeliveryChannel): boolean {
    return this.deps.providers[channel] !== null;
  }

  /** The delivery for `input`, sent once: a repeat (same key, recipient, channel) answers the
   * first. `recipientKey` names the recipient for that (a user, or an address); the rate
   * limit counts per address. */
  async deliver(input: NewDelivery, recipientKey: string): Promise<DeliveryDoc> {
    const { store, settings } = this.deps;
    const id = deliveryId(input.channel, recipientKey, input.idempotency_key, input.user_id);
    const now = new Date(this.now());
    const fields = { ...queued(input), created_at: now, updated_at: now };
    const doc: DeliveryDoc = { ...fields, _id: id };
    // Staff's log lists what their organisation asked for by rows noted before the delivery.
    const asked = doc.organization_id === null ? null : { ...doc, organization_id: doc.organization_id };
    if (asked) await noteOrganizationDelivery(store, asked);
    if (!(await claimOnce(store.deliveries, id, fields))) {
      const first = (await store.deliveries.findById(id).lean<DeliveryDoc>())!;
      // A repeat noted a row at its own instant; at the first one's (another node, the same
      // millisecond) that row is the first one's too.
      if (asked && first.created_at.getTime() !== now.getTime()) await forgetOrganizationDeliveryRow(store, asked);
      return first;
    }
    const rate = { limit: settings.rateLimit, windowMs: settings.rateWindowMs };
    if (!(await takeRateSlot(store.rateSlots, `${input.channel}:${input.recipient}`, rate, this.now()))) {
      const error = `the recipient already had ${rate.limit} ${input.channel} messages in ${rate.windowMs / 1000} s (NOTIFICATION_RATE_LIMIT)`;
      return this.settle(doc, { status: "failed", last_error: error, error_code: "rate_limited" }, []);
    }
    const watch = await this.watchOver(doc);
    const settled = await this.attempt(doc, 1);
    // Settled (sent, failed, or its retry scheduled): nothing left to watch. A watch not
    // ended comes due and finds the delivery settled, so a failure here only costs a read.
    if (watch) endWatch(this.deps.store.watches, watch).catch((err) => this.deps.logger.warn({ delivery_id: doc._id, err }, "notifications: a watch was not ended"));
    return settled;
  }

  /**
   * A watch is noted before attempt 1 is made, due when a failed attempt 1 would have
   * attempt 2 made: a node that dies during attempt 1 leaves a delivery that the sweep
   * (sweepWatches) then attempts again, instead of one `queued` for ever.
   */
  private async watchOver(doc: DeliveryDoc): Promise<string | null> {
    if (this.deps.settings.maxAttempts < 2) return null;
    try {
      return await watchFirstAttempt(this.deps.store.watches, doc._id, this.now() + backoffMs(this.deps.settings, 1));
    } catch (err) {
      this.deps.logger.warn({ delivery_id: doc._id, err }, "notifications: the first attempt could not be watched over; sending it anyway");
      return null;
    }
  }

  /** Attempts again the deliveries whose first attempt's watch came due (their node died
   * during it); answers how many came due. */
  sweepWatches(): Promise<number> {
    return sweepDueWatches(this.deps.store.watches, this.now(), (id) => this.retry(id, 2), (delivery_id, err) =>
      this.deps.logger.warn({ delivery_id, err }, "notifications: an overdue first attempt was not made again; the next sweep tries"));
  }

  /**
   * An in-app message, logged beside the providers' deliveries so that the log shows every
   * message a user got: sent when the inbox took it, under the notification's own id, once.
   */
  async logInbox(notificationId: string, input: Omit<NewDelivery, "channel">): Promise<void> {
    const at = new Date(this.now());
    const sent = { status: "sent" as const, attempts: 1, provider: INBOX, provider_message_id: notificationId, sent_at: at };
    await claimOnce(this.deps.store.deliveries, notificationId, { ...queued({ ...input, channel: "in_app" }), ...sent, history: [{ attempt: 1, provider: INBOX, outcome: "sent", error: null, at }] });
  }

  /** Attempt `attempt` of a delivery that is still waiting for it; anything else is left alone. */
  async retry(deliveryId: string, attempt: number): Promise<DeliveryDoc | null> {
    const doc = await this.deps.store.deliveries.findById(deliveryId).lean<DeliveryDoc>();
    if (!doc || doc.status === "sent" || doc.status === "failed" || doc.attempts >= attempt) return doc;
    return this.attempt(doc, attempt);
  }

  private async attempt(doc: DeliveryDoc, n: number): Promise<DeliveryDoc> {
    const { store } = this.deps;
    // Attempt 1 is made by the node whose insert claimed the delivery, and by no other
    // (retries start at 2): that insert is its claim, and a second one would only cost a write.
    const claimed = n === 1 || (await claimOnce(store.attempts, `${doc._id}#${n}`, { expires_at: new Date(this.now() + ATTEMPT_CLAIM_MS) }));
    if (!claimed) return (await store.deliveries.findById(doc._id).lean<DeliveryDoc>()) ?? doc;
    const history: AttemptRecord[] = [];
    const at = () => new Date(this.now());
    let result: SendResult;
    try {
      result = await this.send(doc, (a) => history.push({ attempt: n, provider: a.provider, outcome: a.outcome, error: a.error ?? null, at: at() }));
    } catch (err) {
      const failure = err instanceof ProviderError ? err : errors.providerFailed(doc.channel, (err as Error)?.message ?? String(err), { retryable: true, status: null });
      if (!history.some((h) => h.outcome === "failed")) history.push({ attempt: n, provider: failure.provider, outcome: "failed", error: failure.message, at: at() });
      return this.failed(doc, n, failure, history);
    }
    if (!history.length) history.push({ attempt: n, provider: result.provider, outcome: "sent", error: null, at: at() });
    return this.settle(doc, {
      status: "sent", attempts: n, provider: result.provider, provider_message_id: result.provider_message_id, next_attempt_at: null, sent_at: at(),
    }, history);
  }

  private async failed(doc: DeliveryDoc, n: number, failure: ProviderError, history: AttemptRecord[]): Promise<DeliveryDoc> {
    const { settings } = this.deps;
    const common = { attempts: n, provider: failure.provider, last_error: failure.message, error_code: failure.providerCode ?? "provider_failed" };
    if (doc.channel === "push" && doc.user_id && DEAD_PUSH_TOKEN.has(failure.providerCode ?? "")) {
      await this.deps.forgetPushToken(doc.user_id, doc.recipient);
    }
    if (!failure.retryable || n >= settings.maxAttempts) {
      return this.settle(doc, { ...common, status: "failed", next_attempt_at: null }, history);
    }
    const next = new Date(this.now() + backoffMs(settings, n));
    try {
      await this.deps.scheduleRetry(doc._id, n + 1, next);
    } catch (err) {
      this.deps.logger.error({ delivery_id: doc._id, err }, "notifications: a retry could not be scheduled");
      return this.settle(doc, { ...common, status: "failed", last_error: `${failure.message}; no retry could be scheduled: ${(err as Error).message}`, next_attempt_at: null }, history);
    }
    return this.settle(doc, { ...common, status: "retrying", next_attempt_at: next }, history);
  }

  private async settle(doc: DeliveryDoc, changes: Partial<DeliveryDoc>, history: AttemptRecord[]): Promise<DeliveryDoc> {
    const updated_at = new Date(this.now());
    // Grouped with the other deliveries settled meanwhile: in a busy office every ticket's
    // SMS is settled, and each was an update of its own.
    await updateByIdGrouped(this.deps.store.deliveries, doc._id, { $set: { ...changes, updated_at }, ...(history.length && { $push: { history: { $each: history } } }) });
    const settled = { ...doc, ...changes, history: [...doc.history, ...history], updated_at };
    if (settled.status === "sent" || settled.status === "failed") this.deps.settled(settled);
    return settled;
  }

  private send(doc: DeliveryDoc, log: (attempt: SmsAttempt) => void): Promise<SendResult> {
    const { providers } = this.deps;
    const { subject, text, data } = doc.message;
    const missing = (what: string) => errors.providerFailed(doc.channel, `no ${what} provider is configured on this node`, { retryable: false, status: null, providerCode: "not_configured" });
    switch (doc.channel) {
      case "sms":
        if (!providers.sms) throw missing("SMS");
        return smsSender(providers.sms, log).send({ to: doc.recipient, text });
      case "email":
        if (!providers.email) throw missing("e-mail");
        return providers.email.send({ to: doc.recipient, subject: subject ?? "", text });
      case "push":
        if (!providers.push) throw missing("push");
        return providers.push.send({ token: doc.recipient, title: subject ?? "", body: text, ...(data && { data }) });
      case "in_app":
        // Logged as sent when the inbox took it (notify.ts): no provider sends it.
        throw errors.providerFailed(doc.channel, "in-app messages go to the inbox, not through a provider", { retryable: false, status: null, providerCode: "not_a_provider_channel" });
    }
  }
}
