// The only place that reads the environment: parsed once at start-up into a frozen,
// typed object that is handed to the broker and the services.
import { z } from "zod";

const DEV_ACCESS_SECRET = "dev-only-access-secret-change-me-0123456789";
const DEV_REFRESH_SECRET = "dev-only-refresh-secret-change-me-0123456789";

const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().int().positive();
const list = z
  .string()
  .transform((s) => s.split(",").map((v) => v.trim()).filter(Boolean));
const flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

export const SERVICE_NAMES = ["api", "accounts", "business", "queues", "live", "appointments", "scheduler", "notifications", "payments", "locations", "analytics"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: port.default(3000),
    WS_PORT: port.default(3001),
    // 512 from measurement: 10,000 screens back after a restart (docs/bench-runs/2026-12-02-admission-gate.md).
    WS_MAX_CONCURRENT_ADMISSIONS: z.coerce.number().int().min(1).max(10_000).default(512).describe("live sockets being admitted at once per node; the others wait their turn"),
    WS_HAND_OVER_PER_SECOND: z.coerce.number().int().min(0).max(1_000_000).default(0).describe("live sockets a stopping node closes per second, so they reconnect to the node taking them at a pace it can admit (services/live/hand-over.ts); 0 closes them all at once"),
    WS_MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(1000).describe("live sockets one client address may hold open on a node (an office's screens share its router's address)"),
    WS_MAX_BACKPRESSURE: z.coerce.number().int().min(1024).default(64 * 1024).describe("bytes queued for one live socket before it is dropped"),
    // uWebSockets.js aborts the process on an idle timeout outside 8..960 seconds.
    WS_IDLE_TIMEOUT: z.coerce.number().int().min(8).max(960).default(60),
    PAGES_LIVE_URL: z.string().regex(/^wss?:\/\/[^/?#]+\/?$/, "ws:// or wss:// and a host, no path").optional().describe("where the office pages open their live channels, e.g. wss://office.example behind a proxy that routes /ws/; default ws://<the page's host>:WS_PORT"),
    TURN_NEAR_POSITION: z.coerce.number().int().min(1).default(3).describe("a citizen is told their turn is near from this position, unless they chose otherwise on their ticket"),
    MONITOR_TARGET_WAIT_MINUTES: z.coerce.number().min(1).max(24 * 60).default(15).describe("the live monitors alert when a queue's longest estimated wait passes this"),
    MONITOR_IDLE_ALERT_MS: z.coerce.number().int().min(100).max(24 * 3_600_000).default(5 * 60_000).describe("the live monitors alert when an open counter has been idle this long while people wait"),
    METRICS_PORT: port.default(3030).describe("0 turns the Prometheus endpoint off"),
    MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, "must start with mongodb:// or mongodb+srv://").optional(),
    MONGO_BEHIND_POOL: z.coerce.number().int().min(1).max(100).default(1).describe("sockets for the writes made behind the answers (projection, notifications, analytics): at 1 a journal append waits for at most one of them at the database; on MongoDB, which writes in parallel, a few more let them keep up"),
    DATA_DIR: z.string().min(1).default(".data"),
    CALL_CLIPS_DIR: z.string().min(1).optional().describe("recorded call clips for the office screens, one folder per language (<dir>/<lang>/clips.json); default DATA_DIR/clips"),
    NATS_URL: z.string().regex(/^(nats|tls):\/\//, "must start with nats:// or tls://").optional(),
    NATS_USER: z.string().min(1).max(256).optional(),
    NATS_PASSWORD: z.string().min(1).max(256).optional(),
    NATS_TOKEN: z.string().min(1).max(512).optional(),
    NATS_TLS_CA_FILE: z.string().min(1).optional().describe("CA certificate of the NATS server; with it the connection is TLS"),
    NATS_TLS_CERT_FILE: z.string().min(1).optional().describe("this node's client certificate, when the NATS server asks for one"),
    NATS_TLS_KEY_FILE: z.string().min(1).optional(),
    NODE_ID: z.string().regex(/^[\w.-]+$/, "letters, digits, '.', '_' or '-' only").optional(),
    NAMESPACE: z.string().regex(/^[\w.-]+$/, "letters, digits, '.', '_' or '-' only").default("smartqueue"),
    ACTOR_IDLE_SECONDS: seconds.default(600).describe("an idle queue actor leaves memory after this long"),
    SERVICES: list
      .pipe(z.array(z.union([z.enum(SERVICE_NAMES), z.literal("all")])).min(1))
      .default(["all"]),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
    CORS_ORIGINS: list.default([]),
    TRUST_PROXY: z
      .string()
      .regex(/^(true|false|\d{1,2})$/, "true, false or the number of proxies in front")
      .transform((v) => (v === "true" ? 1 : v === "false" ? 0 : Number(v)))
      .default(0)
      .describe("how many reverse proxies in front append to X-Forwarded-For (true: 1); the client address is the one the outermost of them saw"),
    JWT_ACCESS_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    JWT_REFRESH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    JWT_ACCESS_TTL: seconds.default(15 * 60),
    JWT_REFRESH_TTL: seconds.default(30 * 24 * 3600),
    AUTH_CACHE_SECONDS: z.coerce.number().int().min(0).max(60).default(5).describe("how long a node remembers whose access token it has seen; 0 turns it off"),
    DISPLAY_TOKEN_TTL: seconds.default(365 * 24 * 3600),
    DISPLAY_AUTH_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(600).describe("how long a node remembers a display token it has checked; 0 turns it off"),
    AUTH_RATE_LIMIT: z.coerce.number().int().positive().default(30).describe("requests per minute per client on /api/accounts/auth/"),
    LOGIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(10).describe("failed sign-ins of one account in a window before it is locked for the rest of it"),
    LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(1000).default(100).describe("failed sign-ins from one client address in a window before it is refused for the rest of it"),
    LOGIN_FAILURE_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(64 * 1024),
    REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    STRANDED_TRANSFER_SECONDS: seconds.default(30).describe("a transfer not settled this long after it began is completed (or undone) by its source queue's owner"),
    STORE_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000).describe("a journal append or queue activation slower than this answers 503 store_busy; keep it under REQUEST_TIMEOUT_MS"),
    DEFAULT_PHONE_REGION: z.string().regex(/^[A-Z]{2}$/, "an ISO 3166 country code such as SN").default("SN"),
    ADMIN_PHONE: z.string().optional(),
    ADMIN_PASSWORD: z.string().optional(),
    // Notification providers (services/notifications/providers). `log` only writes to the log.
    SMS_PROVIDER: z.enum(["orange", "expresso", "log"]).optional().describe("default log outside production; log is refused there"),
    SMS_FALLBACK_PROVIDER: z.enum(["orange", "expresso"]).optional(),
    ORANGE_SMS_BASE_URL: z.url().default("https://api.orange.com"),
    ORANGE_SMS_CLIENT_ID: z.string().optional(),
    ORANGE_SMS_CLIENT_SECRET: z.string().optional(),
    ORANGE_SMS_SENDER: z.string().regex(/^(tel:)?\+\d{4,15}$/, "the contract's number, e.g. +2210000").optional(),
    ORANGE_SMS_SENDER_NAME: z.string().max(11).optional(),
    EXPRESSO_SMS_BASE_URL: z.url().optional(),
    EXPRESSO_SMS_API_KEY: z.string().optional(),
    EXPRESSO_SMS_SENDER: z.string().max(11).optional(),
    SMTP_URL: z.string().regex(/^smtps?:\/\//, "must start with smtp:// or smtps://").optional(),
    MAIL_FROM: z.string().default("SmartQueue <no-reply@smartqueue.sn>"),
    FCM_SERVICE_ACCOUNT_FILE: z.string().optional(),
    FCM_BASE_URL: z.url().default("https://fcm.googleapis.com"),
    PROVIDER_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    // Delivery of notifications (services/notifications): retries through the scheduler,
    // NOTIFICATION_RETRY_DELAY_MS × 2^(n-1) after the n-th failed attempt.
    NOTIFICATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5).describe("attempts per message, the first included"),
    NOTIFICATION_RETRY_DELAY_MS: z.coerce.number().int().min(50).default(30_000).describe("wait before the first retry; doubles each time"),
    NOTIFICATION_RETRY_MAX_DELAY_MS: z.coerce.number().int().min(50).default(3_600_000).describe("longest wait between two attempts"),
    NOTIFICATION_RATE_LIMIT: z.coerce.number().int().min(1).max(1000).default(10).describe("messages per recipient and channel per window"),
    NOTIFICATION_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(3600),
    DIRECT_MESSAGES_PER_DAY: z.coerce.number().int().min(0).max(100_000).default(200).describe("SMS and e-mails an organisation's staff may send by hand per UTC day"),
    // Scheduler (services/scheduler, Agenda). A job saved between two polls is locked at
    // once by the node that saved it, and what a stopping node hands back is announced to
    // the others (job-announcements.ts): a due job waits for a poll only when the node that
    // saved it is at its concurrency limit. Each poll is a write per job name.
    SCHEDULER_PROCESS_EVERY_MS: z.coerce.number().int().min(50).max(60_000).default(5000).describe("how often the scheduler looks for due jobs"),
    SCHEDULER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(20).describe("jobs of one name running at once on a node"),
    SCHEDULER_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(100).describe("jobs running at once on a node"),
    SCHEDULER_STOP_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000).describe("how long stopping waits for running jobs"),
    SLOT_GENERATION_EVERY_MINUTES: z.coerce.number().int().min(1).default(60),
    // Appointments' housekeeping (services/appointments) and queues' closing time.
    APPOINTMENT_REMINDERS_MINUTES: z
      .string()
      .regex(/^(\d{1,5}(,\d{1,5})*)?$/, "minutes before the appointment, comma-separated, e.g. 1440,60")
      .default("1440,60")
      .transform((s) => (s ? [...new Set(s.split(",").map(Number))].filter((m) => m > 0) : []))
      .describe("when reminders go, in minutes before the appointment; empty: none"),
    SLOT_WINDOW_DAYS: z.coerce.number().int().min(1).max(366).default(14).describe("how many days ahead bookable slots are kept"),
    APPOINTMENT_NO_SHOW_GRACE_MINUTES: z.coerce.number().int().min(0).default(15).describe("an appointment not checked in this long after its start is a no-show"),
    CHECK_IN_RADIUS_METERS: z.coerce.number().int().min(10).max(100_000).default(300).describe("how near its branch a citizen checking in themselves must be"),
    APPOINTMENT_SWEEP_EVERY_MINUTES: z.coerce.number().int().min(1).default(5).describe("how often no-shows are marked and reminders made sure of"),
    // Payments (services/payments): the methods offered, each provider's credentials and base
    // URL (the tests point them at local stand-ins), and how pending payments are settled.
    PAYMENT_METHODS: list.pipe(z.array(z.enum(["wave", "orange_money", "free_money"]))).default([]).describe("payment methods offered, comma-separated: wave, orange_money, free_money; empty: none"),
    PAYMENT_MAX_AMOUNT_XOF: z.coerce.number().int().min(1).max(100_000_000).default(1_000_000).describe("the largest payment accepted, XOF"),
    PAYMENT_FEE_PERCENT: z.coerce.number().min(0).max(20).default(1).describe("the providers' fee on a payment, shown with the methods (paid by the organisation)"),
    PAYMENT_PUBLIC_URL: z.url().optional().describe("the address providers reach this API at, for their notifications; default http://HOST:PORT"),
    PAYMENT_RETURN_URL: z.url().default("https://smartqueue.sn/paiement/retour").describe("where a provider sends the user back after paying, with ?transaction=…&outcome=success|error"),
    PAYMENT_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(10).max(3600).default(300).describe("how far a signed webhook's timestamp may be from now"),
    PAYMENT_PENDING_EXPIRY_MINUTES: z.coerce.number().min(0.05).max(7 * 24 * 60).default(60).describe("a payment still pending this long after it started is expired by reconciliation, if the provider does not say it succeeded"),
    PAYMENT_RECONCILE_EVERY_SECONDS: z.coerce.number().int().min(1).max(3600).default(60).describe("how often pending payments due a check are verified with their provider"),
    PAYMENT_VERIFY_BACKOFF_SECONDS: z.coerce.number().int().min(1).max(3600).default(30).describe("wait before reconciliation first asks the provider about a pending payment; doubles after each check"),
    WAVE_BASE_URL: z.url().default("https://api.wave.com"),
    WAVE_API_KEY: z.string().optional(),
    WAVE_WEBHOOK_SECRET: z.string().optional().describe("the signing secret of the Wave webhook"),
    ORANGE_MONEY_BASE_URL: z.url().default("https://api.orange.com"),
    ORANGE_MONEY_CLIENT_ID: z.string().optional(),
    ORANGE_MONEY_CLIENT_SECRET: z.string().optional(),
    ORANGE_MONEY_MERCHANT_KEY: z.string().optional(),
    ORANGE_MONEY_COUNTRY: z.string().regex(/^[a-z]{2,3}$/, "the API's country segment, e.g. sn (dev in the sandbox)").default("sn"),
    ORANGE_MONEY_CURRENCY: z.enum(["XOF", "OUV"]).default("XOF").describe("OUV in Orange's sandbox"),
    FREE_MONEY_BASE_URL: z.url().default("https://paytech.sn"),
    FREE_MONEY_API_KEY: z.string().optional(),
    FREE_MONEY_API_SECRET: z.string().optional(),
    FREE_MONEY_ENV: z.enum(["test", "prod"]).default("prod"),
    // Locations (services/locations): the gazetteer, geocoding and travel estimates.
    LOCATIONS_GAZETTEER_REFRESH_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300).describe("how soon a node sees communes imported with npm run import:communes"),
    NOMINATIM_BASE_URL: z.url().optional().describe("a Nominatim server (e.g. https://nominatim.openstreetmap.org) asked when the gazetteer and the branches do not know a place; unset: never asked"),
    OSRM_BASE_URL: z.url().optional().describe("an OSRM server (osrm-routed) whose /route/v1 gives travel estimates their road distance; unset: the great circle × a detour factor"),
    NOMINATIM_USER_AGENT: z.string().min(1).max(200).default("SmartQueue/0.1 (+https://smartqueue.sn)").describe("how this deployment identifies itself to Nominatim, as its usage policy asks"),
    TRAFFIC_REPORT_HALF_LIFE_MINUTES: z.coerce.number().min(1).max(24 * 60).default(30).describe("a traffic report's severity halves every this many minutes"),
    USER_LOCATION_RETENTION_SECONDS: z.coerce.number().int().min(1).max(30 * 24 * 3600).default(3600).describe("how long a user's shared location is kept before it is deleted"),
    LEAVE_NOW_MARGIN_MINUTES: z.coerce.number().min(0).max(120).default(5).describe("\"leave now\" is sent when the trip plus this margin reaches a remote ticket's estimated wait"),
    LEAVE_NOW_CHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30).describe("how often every node checks the shared tickets for \"leave now\" (also checked at each new location)"),
    ANALYTICS_FLUSH_MS: z.coerce.number().int().min(50).max(60_000).default(2000).describe("how often a node writes the statistics it has counted to the analytics rollups (each write reads and rewrites every rollup touched since the last, on the database the queues use)"),
    EXPORT_PACK_EVERY_MINUTES: z.coerce.number().int().min(1).default(60).describe("how often closed days' tickets are packed for the CSV export (a day is read once, then exported from its packs)"),
    RATING_LINK_URL: z.url().optional().describe("the page a served citizen's rating link opens, the link's token after '#'; default http://HOST:PORT/rate/"),
    RATING_LINK_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(7).describe("how long the rating link in the served message stays good"),
    RATING_LINK_CHANNELS: list.pipe(z.array(z.enum(["in_app", "push", "sms", "email"])).min(1)).default(["in_app", "push"]).describe("how the served message with the rating link is sent (comma-separated: in_app, push, sms, email); SMS costs the office per ticket served, so it is not on by default"),
    END_OF_DAY_CHECK_EVERY_MINUTES: z.coerce.number().int().min(1).default(5).describe("how often queues are opened at their opening time and closed after their closing time"),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production") {
      for (const key of ["JWT_ACCESS_SECRET", "JWT_REFRESH_SECRET"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required in production" });
      }
    }
    // Any client of an open NATS could join the cluster and call every internal action.
    const natsCredentials = (env.NATS_USER && env.NATS_PASSWORD) || env.NATS_TOKEN || env.NATS_TLS_CERT_FILE;
    if (env.NODE_ENV === "production" && env.NATS_URL && !natsCredentials) {
      ctx.addIssue({ code: "custom", path: ["NATS_USER"], message: "NATS credentials (NATS_USER and NATS_PASSWORD, NATS_TOKEN or a client certificate) are required in production" });
    }
    if (Boolean(env.NATS_USER) !== Boolean(env.NATS_PASSWORD)) {
      ctx.addIssue({ code: "custom", path: ["NATS_PASSWORD"], message: "NATS_USER and NATS_PASSWORD go together" });
    }
    if (Boolean(env.NATS_TLS_CERT_FILE) !== Boolean(env.NATS_TLS_KEY_FILE)) {
      ctx.addIssue({ code: "custom", path: ["NATS_TLS_KEY_FILE"], message: "NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE go together" });
    }
    // Past the request timeout the gateway answers first, without Retry-After.
    if (env.STORE_TIMEOUT_MS >= env.REQUEST_TIMEOUT_MS) {
      ctx.addIssue({ code: "custom", path: ["STORE_TIMEOUT_MS"], message: "must be less than REQUEST_TIMEOUT_MS" });
    }
    if (env.JWT_ACCESS_SECRET && env.JWT_ACCESS_SECRET === env.JWT_REFRESH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["JWT_REFRESH_SECRET"], message: "must differ from JWT_ACCESS_SECRET" });
    }
    // Unset in production means no SMS at all (never the log provider by default).
    if (env.NODE_ENV === "production" && env.SMS_PROVIDER === "log") {
      ctx.addIssue({ code: "custom", path: ["SMS_PROVIDER"], message: "cannot be log in production: name orange or expresso" });
    }
    const sms = [env.SMS_PROVIDER, env.SMS_FALLBACK_PROVIDER];
    if (env.SMS_FALLBACK_PROVIDER && env.SMS_FALLBACK_PROVIDER === env.SMS_PROVIDER) {
      ctx.addIssue({ code: "custom", path: ["SMS_FALLBACK_PROVIDER"], message: "must differ from SMS_PROVIDER" });
    }
    const needs = {
      orange: ["ORANGE_SMS_CLIENT_ID", "ORANGE_SMS_CLIENT_SECRET", "ORANGE_SMS_SENDER"],
      expresso: ["EXPRESSO_SMS_BASE_URL", "EXPRESSO_SMS_API_KEY"],
    } as const;
    for (const provider of ["orange", "expresso"] as const) {
      if (!sms.includes(provider)) continue;
      for (const key of needs[provider]) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: `is required when ${provider} sends SMS` });
      }
    }
    const paymentNeeds = {
      wave: ["WAVE_API_KEY", "WAVE_WEBHOOK_SECRET"],
      orange_money: ["ORANGE_MONEY_CLIENT_ID", "ORANGE_MONEY_CLIENT_SECRET", "ORANGE_MONEY_MERCHANT_KEY"],
      free_money: ["FREE_MONEY_API_KEY", "FREE_MONEY_API_SECRET"],
    } as const;
    for (const method of env.PAYMENT_METHODS) {
      for (const key of paymentNeeds[method]) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: `is required when PAYMENT_METHODS offers ${method}` });
      }
    }
    if (Boolean(env.ADMIN_PHONE) !== Boolean(env.ADMIN_PASSWORD)) {
      ctx.addIssue({ code: "custom", path: ["ADMIN_PASSWORD"], message: "ADMIN_PHONE and ADMIN_PASSWORD go together" });
    }
  });

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(`Invalid configuration: ${first.path.join(".")} ${first.message}`);
  }
  const e = parsed.data;
  return Object.freeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    wsPort: e.WS_PORT,
    live: Object.freeze({
      maxBackpressureBytes: e.WS_MAX_BACKPRESSURE,
      maxConcurrentAdmissions: e.WS_MAX_CONCURRENT_ADMISSIONS,
      maxSocketsPerAddress: e.WS_MAX_SOCKETS_PER_ADDRESS,
      handOverPerSecond: e.WS_HAND_OVER_PER_SECOND,
      trustedProxies: e.TRUST_PROXY,
      idleTimeoutSeconds: e.WS_IDLE_TIMEOUT,
      turnNearPosition: e.TURN_NEAR_POSITION,
      monitor: Object.freeze({ targetWaitMs: Math.round(e.MONITOR_TARGET_WAIT_MINUTES * 60_000), idleAlertMs: e.MONITOR_IDLE_ALERT_MS }),
    }),
    pagesLiveUrl: e.PAGES_LIVE_URL?.replace(/\/+$/, "") ?? null,
    metricsPort: e.METRICS_PORT,
    mongoUrl: e.MONGO_URL,
    mongoBehindPool: e.MONGO_BEHIND_POOL,
    dataDir: e.DATA_DIR,
    callClipsDir: e.CALL_CLIPS_DIR ?? `${e.DATA_DIR}/clips`,
    natsUrl: e.NATS_URL,
    nats: Object.freeze({
      user: e.NATS_USER,
      pass: e.NATS_PASSWORD,
      token: e.NATS_TOKEN,
      tls: e.NATS_TLS_CA_FILE || e.NATS_TLS_CERT_FILE ? { caFile: e.NATS_TLS_CA_FILE, certFile: e.NATS_TLS_CERT_FILE, keyFile: e.NATS_TLS_KEY_FILE } : undefined,
    }),
    nodeId: e.NODE_ID,
    namespace: e.NAMESPACE,
    actorIdleMs: e.ACTOR_IDLE_SECONDS * 1000,
    services: e.SERVICES.includes("all") ? [...SERVICE_NAMES] : (e.SERVICES as ServiceName[]),
    logLevel: e.LOG_LEVEL,
    corsOrigins: e.CORS_ORIGINS,
    trustedProxies: e.TRUST_PROXY,
    jwt: Object.freeze({
      accessSecret: e.JWT_ACCESS_SECRET ?? DEV_ACCESS_SECRET,
      refreshSecret: e.JWT_REFRESH_SECRET ?? DEV_REFRESH_SECRET,
      accessTtlSeconds: e.JWT_ACCESS_TTL,
      refreshTtlSeconds: e.JWT_REFRESH_TTL,
      displayTtlSeconds: e.DISPLAY_TOKEN_TTL,
      issuer: "smartqueue",
    }),
    authRateLimitPerMinute: e.AUTH_RATE_LIMIT,
    loginThrottle: Object.freeze({
      perAccount: e.LOGIN_FAILURES_PER_ACCOUNT,
      perAddress: e.LOGIN_FAILURES_PER_ADDRESS,
      windowMs: e.LOGIN_FAILURE_WINDOW_MINUTES * 60_000,
    }),
    authCacheMs: e.AUTH_CACHE_SECONDS * 1000,
    displayAuthCacheMs: e.DISPLAY_AUTH_CACHE_SECONDS * 1000,
    maxBodyBytes: e.MAX_BODY_BYTES,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    storeTimeoutMs: e.STORE_TIMEOUT_MS,
    strandedTransferMs: e.STRANDED_TRANSFER_SECONDS * 1000,
    defaultPhoneRegion: e.DEFAULT_PHONE_REGION,
    notifications: Object.freeze({
      /** undefined: SMS is off (production without SMS_PROVIDER). */
      smsProvider: e.SMS_PROVIDER ?? (e.NODE_ENV === "production" ? undefined : "log"),
      smsFallbackProvider: e.SMS_FALLBACK_PROVIDER,
      orange: Object.freeze({
        baseUrl: e.ORANGE_SMS_BASE_URL, clientId: e.ORANGE_SMS_CLIENT_ID, clientSecret: e.ORANGE_SMS_CLIENT_SECRET,
        senderAddress: e.ORANGE_SMS_SENDER, senderName: e.ORANGE_SMS_SENDER_NAME,
      }),
      expresso: Object.freeze({ baseUrl: e.EXPRESSO_SMS_BASE_URL, apiKey: e.EXPRESSO_SMS_API_KEY, sender: e.EXPRESSO_SMS_SENDER }),
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      fcmServiceAccountFile: e.FCM_SERVICE_ACCOUNT_FILE,
      fcmBaseUrl: e.FCM_BASE_URL,
      providerTimeoutMs: e.PROVIDER_TIMEOUT_MS,
      maxAttempts: e.NOTIFICATION_MAX_ATTEMPTS,
      retryDelayMs: e.NOTIFICATION_RETRY_DELAY_MS,
      retryMaxDelayMs: e.NOTIFICATION_RETRY_MAX_DELAY_MS,
      rateLimit: e.NOTIFICATION_RATE_LIMIT,
      rateWindowMs: e.NOTIFICATION_RATE_WINDOW_SECONDS * 1000,
      directPerDay: e.DIRECT_MESSAGES_PER_DAY,
    }),
    scheduler: Object.freeze({
      processEveryMs: e.SCHEDULER_PROCESS_EVERY_MS,
      concurrency: e.SCHEDULER_CONCURRENCY,
      maxConcurrency: e.SCHEDULER_MAX_CONCURRENCY,
      stopTimeoutMs: e.SCHEDULER_STOP_TIMEOUT_MS,
      slotGenerationEveryMinutes: e.SLOT_GENERATION_EVERY_MINUTES,
      appointmentSweepEveryMinutes: e.APPOINTMENT_SWEEP_EVERY_MINUTES,
      endOfDayCheckEveryMinutes: e.END_OF_DAY_CHECK_EVERY_MINUTES,
    }),
    appointments: Object.freeze({
      remindersMinutes: Object.freeze(e.APPOINTMENT_REMINDERS_MINUTES),
      noShowGraceMinutes: e.APPOINTMENT_NO_SHOW_GRACE_MINUTES,
      slotWindowDays: e.SLOT_WINDOW_DAYS,
      checkInRadiusMeters: e.CHECK_IN_RADIUS_METERS,
    }),
    payments: Object.freeze({
      methods: Object.freeze([...new Set(e.PAYMENT_METHODS)]),
      maxAmountXof: e.PAYMENT_MAX_AMOUNT_XOF,
      feePercent: e.PAYMENT_FEE_PERCENT,
      publicUrl: (e.PAYMENT_PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/+$/, ""),
      returnUrl: e.PAYMENT_RETURN_URL,
      webhookToleranceSeconds: e.PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
      pendingExpiryMs: Math.round(e.PAYMENT_PENDING_EXPIRY_MINUTES * 60_000),
      reconcileEveryMs: e.PAYMENT_RECONCILE_EVERY_SECONDS * 1000,
      verifyBackoffMs: e.PAYMENT_VERIFY_BACKOFF_SECONDS * 1000,
      providerTimeoutMs: e.PROVIDER_TIMEOUT_MS,
      wave: Object.freeze({ baseUrl: e.WAVE_BASE_URL, apiKey: e.WAVE_API_KEY ?? "", webhookSecret: e.WAVE_WEBHOOK_SECRET ?? "" }),
      orangeMoney: Object.freeze({
        baseUrl: e.ORANGE_MONEY_BASE_URL, clientId: e.ORANGE_MONEY_CLIENT_ID ?? "", clientSecret: e.ORANGE_MONEY_CLIENT_SECRET ?? "",
        merchantKey: e.ORANGE_MONEY_MERCHANT_KEY ?? "", country: e.ORANGE_MONEY_COUNTRY, currency: e.ORANGE_MONEY_CURRENCY,
      }),
      freeMoney: Object.freeze({ baseUrl: e.FREE_MONEY_BASE_URL, apiKey: e.FREE_MONEY_API_KEY ?? "", apiSecret: e.FREE_MONEY_API_SECRET ?? "", env: e.FREE_MONEY_ENV }),
    }),
    analytics: Object.freeze({
      flushMs: e.ANALYTICS_FLUSH_MS,
      exportPackEveryMinutes: e.EXPORT_PACK_EVERY_MINUTES,
      ratingLink: Object.freeze({ url: e.RATING_LINK_URL ?? `http://${e.HOST}:${e.PORT}/rate/`, ttlSeconds: e.RATING_LINK_TTL_DAYS * 86_400, channels: Object.freeze([...new Set(e.RATING_LINK_CHANNELS)]) }),
    }),
    locations: Object.freeze({
      gazetteerRefreshMs: e.LOCATIONS_GAZETTEER_REFRESH_SECONDS * 1000,
      trafficHalfLifeMs: Math.round(e.TRAFFIC_REPORT_HALF_LIFE_MINUTES * 60_000),
      userLocationRetentionMs: e.USER_LOCATION_RETENTION_SECONDS * 1000,
      leaveNowMarginMs: Math.round(e.LEAVE_NOW_MARGIN_MINUTES * 60_000),
      leaveNowCheckMs: e.LEAVE_NOW_CHECK_SECONDS * 1000,
      osrm: e.OSRM_BASE_URL ? Object.freeze({ baseUrl: e.OSRM_BASE_URL, timeoutMs: e.PROVIDER_TIMEOUT_MS }) : undefined,
      nominatim: e.NOMINATIM_BASE_URL ? Object.freeze({ baseUrl: e.NOMINATIM_BASE_URL, userAgent: e.NOMINATIM_USER_AGENT, timeoutMs: e.PROVIDER_TIMEOUT_MS }) : undefined,
    }),
    firstAdmin: e.ADMIN_PHONE && e.ADMIN_PASSWORD ? { phone: e.ADMIN_PHONE, password: e.ADMIN_PASSWORD } : undefined,
  });
}

export type Config = ReturnType<typeof loadConfig>;
