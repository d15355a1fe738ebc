// Request shapes of the queues service: they validate, type the handlers and feed OpenAPI.
import { z } from "zod";
import { JOURNAL_READ_BACK_MAX } from "../../actors/host/journal.ts";
import { CHANNELS, NEAR_CHANNELS, PRIORITY_CLASSES } from "../../actors/queue/index.ts";
import { listQuery } from "../../mixins/api/pagination.ts";
import { IdParams, ObjectIdString } from "../../mixins/api/schemas.ts";
import { restInput } from "../../mixins/api/validated.ts";
import { QUEUE_OPENINGS } from "./store.ts";
import { TRACKER_CODE } from "./trackers.ts";

const Minutes = z.number().int().min(0).max(24 * 60);

/** What an org admin may tune per queue; minutes on the wire, ms in the actor. */
const PolicyInput = z
  .object({
    max_recalls: z.number().int().min(0).max(10),
    default_service_minutes: z.number().int().min(1).max(480),
    appointment_head_start_minutes: Minutes,
    appointment_window_minutes: Minutes,
    /** The wait (issue → first call) the office aims for; absent: MONITOR_TARGET_WAIT_MINUTES. */
    target_wait_minutes: z.number().int().min(1).max(24 * 60),
    head_start_minutes: z.object(Object.fromEntries(PRIORITY_CLASSES.map((c) => [c, Minutes.optional()])) as Record<(typeof PRIORITY_CLASSES)[number], z.ZodOptional<typeof Minutes>>).strict(),
  })
  .partial()
  .strict();
export type PolicyInput = z.output<typeof PolicyInput>;

const Prefix = z.string().regex(/^[A-Z0-9]{1,4}$/, "1 to 4 capital letters or digits");

/** Opened by the start-of-day job at the day's opening time, or only by an agent. */
const Opening = z.enum(QUEUE_OPENINGS);

export const CreateQueue = restInput({
  body: z
    .object({
      organization_id: ObjectIdString,
      branch_id: ObjectIdString.nullable().optional(),
      service_id: ObjectIdString.nullable().optional(),
      name: z.string().trim().min(1).max(100),
      prefix: Prefix,
      policy: PolicyInput.optional(),
      opening: Opening.optional(),
    })
    .strict(),
});

export const UpdateQueue = restInput({
  params: IdParams,
  body: z.object({ name: z.string().trim().min(1).max(100), is_active: z.boolean(), policy: PolicyInput, opening: Opening }).partial().strict(),
});

export const ListQueues = restInput({
  query: listQuery(["name", "created_at"], {
    organization_id: ObjectIdString.optional(),
    branch_id: ObjectIdString.optional(),
    is_active: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
  }),
});

export const ById = restInput({ params: IdParams });

const CounterId = z.string().regex(/^[\w-]{1,40}$/, "letters, digits, '_' or '-' (at most 40)");
export const CounterParams = z.object({ id: z.string().max(64), counter_id: z.string().max(64) });

export const CreateCounter = restInput({ params: IdParams, body: z.object({ name: z.string().trim().min(1).max(60), id: CounterId.optional() }).strict() });
export const UpdateCounter = restInput({ params: CounterParams, body: z.object({ open: z.boolean(), name: z.string().trim().min(1).max(60).optional() }).strict() });
export const CallNext = restInput({ params: IdParams, body: z.object({ counter_id: z.string().min(1).max(64) }).strict() });
export const CloseQueue = restInput({ params: IdParams, body: z.object({ reason: z.string().trim().max(200).optional() }).strict().optional() });
export const QueueAction = restInput({ params: IdParams, body: z.object({}).strict().optional() });

/** The farthest "turn near" a citizen may ask for: a place in line, or minutes of wait. */
const NEAR_LIMITS = { position: 50, minutes: 240 } as const;

/** "Tell me when my turn is near": from a place or from minutes of estimated wait; by default
 * in the app and as a push message (an SMS costs the office money: asked for, it goes once). */
const NearPreferenceInput = z
  .object({
    by: z.enum(["position", "minutes"]),
    within: z.number().int().min(1),
    channels: z.array(z.enum(NEAR_CHANNELS)).min(1).max(NEAR_CHANNELS.length).default(["in_app", "push"]).transform((c) => [...new Set(c)]),
  })
  .strict()
  .refine((p) => p.within <= NEAR_LIMITS[p.by], { message: `at most ${NEAR_LIMITS.position} places or ${NEAR_LIMITS.minutes} minutes`, path: ["within"] });

export const IssueTicket = restInput({
  body: z
    .object({
      queue_id: ObjectIdString,
      channel: z.enum(CHANNELS).optional(),
      priority: z.enum(PRIORITY_CLASSES).optional(),
      user_id: ObjectIdString.nullable().optional(),
      notify_near: NearPreferenceInput.optional(),
      payment_id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "a payment id").optional().describe("for a queue whose service has a fee: the succeeded payment that pays it (POST /api/payments/process-payment/)"),
      pay_at_counter: z.boolean().optional().describe("staff only: issue a fee-bearing ticket whose fee is paid at the counter"),
    })
    .strict(),
});

export const SetNotifyNear = restInput({ params: IdParams, body: z.object({ notify_near: NearPreferenceInput.nullable() }).strict() });

/** A local day of the queues' numbering; lists and counts default to today (Africa/Dakar). */
const LocalDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD").optional().describe("local day, YYYY-MM-DD; today in Africa/Dakar when absent");

export const ListTickets = restInput({
  query: listQuery(["issued_at", "number", "status"], {
    queue_id: ObjectIdString.optional(),
    status: z.enum(["waiting", "called", "serving", "completed", "cancelled", "no_show", "transferred", "expired"]).optional(),
    day: LocalDay,
  }),
});

export const MyTickets = restInput({ query: listQuery(["issued_at"], { open: z.enum(["true", "false"]).transform((v) => v === "true").optional() }) });

export const CallTicket = restInput({ params: IdParams, body: z.object({ counter_id: z.string().min(1).max(64) }).strict() });
export const TicketAction = restInput({ params: IdParams, body: z.object({}).strict().optional() });
export const CancelTicket = restInput({ params: IdParams, body: z.object({ reason: z.string().trim().max(200).optional() }).strict().optional() });
/** A ticket's tracker link, sent by SMS to `sms_to` when staff (the kiosk) give a number. */
export const CreateTracker = restInput({ params: IdParams, body: z.object({ sms_to: z.string().trim().min(3).max(32).optional() }).strict().optional() });
/** A ticket tracker's code (trackers.ts), as /t/{code} links carry it. */
const TrackerCode = z.string().regex(TRACKER_CODE, "a tracker code: 22 letters, digits, '-' or '_'");
export const ByTracker = restInput({ params: z.object({ code: TrackerCode }).strict() });
/** Internal, for the live tracker channel: `queue_id`, the queue the ticket was last seen in. */
export const FollowTracker = z.object({ code: TrackerCode, queue_id: ObjectIdString.optional() }).strict();
export const TransferTicket = restInput({ params: IdParams, body: z.object({ queue_id: ObjectIdString }).strict() });

export const Analytics = restInput({ query: z.object({ organization_id: ObjectIdString.optional(), day: LocalDay }).strict() });

/** Internal, sharded by queue_id: one command or one view for the queue's actor. */
export const ActorCommand = z.object({ queue_id: z.string(), command: z.object({ type: z.string() }).loose() });
/** Tickets asked of one owner in one call: a list asks in chunks of this many. */
export const OWNED_ROWS_PER_CALL = 500;
export const ActorView = z.object({
  queue_id: z.string(),
  view: z.enum(["snapshot", "ticket", "tickets", "open_tickets"]),
  ticket_id: z.string().optional(),
  /** For "tickets": the ids asked for, at most a page of a list. */
  ticket_ids: z.array(z.string().max(64)).max(OWNED_ROWS_PER_CALL).optional(),
});
export const SnapshotInput = z.object({ queue_id: z.string().max(64) });
/** Internal, for the live monitors: one organisation's queues, or every organisation's. */
export const MonitoredQueues = z.object({ organization_id: ObjectIdString.optional() }).strict();
export const QueueById = z.object({ id: z.string().max(64) });
export const TicketById = z.object({ id: z.string().max(64) });
/** Internal: a check-in for an appointment becomes a ticket in its service's queue. */
export const IssueForAppointment = z
  .object({
    queue_id: ObjectIdString.optional(),
    service_id: ObjectIdString,
    /** The appointment's: only a queue of that organisation takes its check-in. */
    organization_id: ObjectIdString,
    ticket_id: ObjectIdString,
    appointment_id: z.string().min(1).max(64),
    appointment_at: z.number().int(),
    user_id: ObjectIdString,
  })
  .strict();

/** Internal: the scheduler's start- and end-of-day jobs; `now` and one organisation for tests and replays. */
/** Internal: a queue's journal commits in a seq range, for a listener that missed their broadcasts. */
export const JournalCommits = z
  .object({ queue_id: ObjectIdString, from_seq: z.number().int().min(1), to_seq: z.number().int().min(1) })
  .strict()
  .refine((r) => r.to_seq >= r.from_seq && r.to_seq - r.from_seq < JOURNAL_READ_BACK_MAX, { path: ["to_seq"], message: `from from_seq, at most ${JOURNAL_READ_BACK_MAX} commits` });
export const DailyStep = z.object({ now: z.iso.datetime({ offset: true }).optional(), organization_id: ObjectIdString.optional() }).strict();
