// One error family for the whole system. An AppError crosses the transporter as a
// MoleculerError (status in `code`, our code in `type`, details in `data`), so the gateway
// on any node answers it the same way: { error: { code, message, details } }.
import { Errors } from "moleculer";

export type ErrorDetails = Record<string, unknown> | Array<unknown> | null;

export class AppError extends Errors.MoleculerClientError {
  constructor(status: number, code: string, message: string, details: ErrorDetails = null) {
    super(message, status, code, details);
    this.name = "AppError";
  }
}

export interface FieldIssue {
  path: string;
  message: string;
}

/** What a 503 asks the client to wait before retrying (the Retry-After header). */
export const RETRY_AFTER_SECONDS = 1;

/** Each code is made in exactly one place: here. */
export const errors = {
  validation: (issues: FieldIssue[]) =>
    new AppError(400, "validation_failed", "The request is invalid; see details for each field.", { fields: issues }),
  malformedJson: (what = "The request body") => new AppError(400, "malformed_json", `${what} is not valid JSON.`),
  malformedUrl: () => new AppError(400, "malformed_url", "The URL is not valid (a bad percent-encoding in its path)."),
  notAuthenticated: (how = "send 'Authorization: Bearer <access token>'") =>
    new AppError(401, "not_authenticated", `Authentication required: ${how}.`),
  tokenInvalid: (reason: string) => new AppError(401, "token_invalid", `The token is not valid: ${reason}.`),
  tokenExpired: () => new AppError(401, "token_expired", "The token has expired; refresh it or log in again."),
  badCredentials: () => new AppError(401, "bad_credentials", "Phone/e-mail or password is incorrect."),
  refreshReused: () =>
    new AppError(401, "refresh_token_reused", "This refresh token was already used; every session of its family is now revoked. Log in again."),
  forbidden: (what = "do this") => new AppError(403, "forbidden", `You are not allowed to ${what}.`),
  originNotAllowed: () => new AppError(403, "origin_not_allowed", "This origin is not allowed by the CORS settings (CORS_ORIGINS)."),
  notFound: (what: string) => new AppError(404, "not_found", `${what} not found.`),
  routeNotFound: () => new AppError(404, "route_not_found", "No such endpoint."),
  conflict: (message: string, details: ErrorDetails = null) => new AppError(409, "conflict", message, details),
  payloadTooLarge: (limit: number) =>
    new AppError(413, "payload_too_large", `The request body is larger than ${limit} bytes.`),
  unsupportedMediaType: () =>
    new AppError(415, "unsupported_media_type", "Send the body as application/json."),
  /** A queue rule refused the command (e.g. counter_busy, queue_closed): the machine's code. */
  queueRule: (code: string, message: string) => new AppError(409, code, message),
  /** The queue's actor moved to another node mid-call; the caller retries (services/queues). */
  queueMoved: () => new AppError(503, "queue_moved", "The queue moved to another node; retry the request."),
  slotFull: () => new AppError(409, "slot_full", "This slot has no place left; pick another one."),
  appointmentChanged: () => new AppError(409, "appointment_changed", "This appointment was changed meanwhile; read it again before changing it."),
  slotStarted: () => new AppError(409, "slot_started", "This slot has already started; pick a later one."),
  /** A citizen checking in themselves must be at the branch. */
  notAtBranch: (distanceMeters: number, radiusMeters: number) =>
    new AppError(403, "not_at_branch", `Check in when you are at the branch (you are about ${distanceMeters} m away; within ${radiusMeters} m is needed), or ask an agent.`, {
      distance_m: distanceMeters,
      radius_m: radiusMeters,
    }),
  overlappingAppointment: () =>
    new AppError(409, "overlapping_appointment", "This person already has an appointment at that time; cancel or move it first."),
  cutoffPassed: (minutes: number) =>
    new AppError(409, "cutoff_passed", `Appointments can no longer be changed or cancelled ${minutes} minutes or less before they start.`, { booking_cutoff_minutes: minutes }),
  appointmentNotBooked: (status: string) => new AppError(409, "appointment_not_booked", `This appointment is ${status}, not booked.`, { status }),
  /** A payment rule refused (services/payments): not_refundable, refund_exceeds_balance, refund_not_supported, partial_refund_not_supported. */
  paymentRule: (code: string, message: string, details: ErrorDetails = null) => new AppError(409, code, message, details),
  /** A provider's notification that is not the provider's, was altered, is stale (401) or unreadable (400). */
  webhookRefused: (reason: "unsigned" | "bad_signature" | "stale" | "malformed", message: string) =>
    new AppError(reason === "malformed" ? 400 : 401, "webhook_refused", `The notification is refused: ${message}.`, { reason }),
  rateLimited: () => new AppError(429, "rate_limited", "Too many requests; wait a minute and try again."),
  tooManySockets: (max: number) => new AppError(429, "too_many_sockets", `This address holds ${max} live connections already; close some first.`, { max }),
  dailyCapReached: (what: string, cap: number, retryAfterSeconds: number) =>
    new AppError(429, "daily_cap_reached", `Your organisation has sent its ${cap} ${what} for today; more tomorrow (see Retry-After).`, { cap, retry_after_seconds: retryAfterSeconds }),
  signInLocked: (retryAfterSeconds: number) =>
    new AppError(429, "sign_in_locked", "Too many failed sign-ins for this account or from this address; try again later (see Retry-After).", { retry_after_seconds: retryAfterSeconds }),
  unavailable: (what: string) => new AppError(503, "service_unavailable", `${what} is not available right now; retry shortly.`),
  /** The database refused or dropped the work for now (locked, overloaded, unreachable): retryable. */
  storeBusy: () => new AppError(503, "store_busy", "The database is busy; retry in a moment (see Retry-After).", { retry_after_seconds: RETRY_AFTER_SECONDS }),
  internal: () => new AppError(500, "internal_error", "An unexpected error occurred; quote the request id when reporting it."),
  /** This deployment sends nothing on the channel: its provider setting is empty. */
  channelNotConfigured: (channel: string, setting: string) =>
    new AppError(503, "channel_not_configured", `${channel} is not configured on this deployment (set ${setting}).`, { channel, setting }),
  /** An SMS, e-mail or push provider did not take a message (services/notifications/providers). */
  providerFailed: (provider: string, reason: string, how: { retryable: boolean; status: number | null; providerCode?: string }) =>
    new ProviderError(provider, reason, how),
};

/**
 * `retryable`: a later attempt may succeed (provider down, 5xx, 429, timeout); false when the
 * provider refused the message itself (bad number, bad credentials). `status` is the provider's
 * HTTP status (or SMTP reply code), null when none came back.
 */
export class ProviderError extends AppError {
  readonly provider: string;
  readonly status: number | null;
  readonly providerCode: string | null;
  constructor(provider: string, reason: string, how: { retryable: boolean; status: number | null; providerCode?: string }) {
    super(502, "provider_failed", `${provider}: ${reason}`, {
      provider, retryable: how.retryable, provider_status: how.status, provider_code: how.providerCode ?? null,
    });
    this.name = "ProviderError";
    this.provider = provider;
    this.retryable = how.retryable;
    this.status = how.status;
    this.providerCode = how.providerCode ?? null;
  }
}
