// Request shapes of the analytics service: they validate, type the handlers and feed the
// OpenAPI document. Days are UTC days (Senegal's time all year), YYYY-MM-DD.
import { z } from "zod";
import { restInput } from "../../mixins/api/validated.ts";
import { APPOINTMENT_ANNOUNCEMENTS } from "../events.ts";

const Day = z.iso.date("must be a day, YYYY-MM-DD");
const OrganizationId = z.string().min(1).max(64);

/** The longest periods one request may ask for: a read by _id per queue and hour or day. */
export const MAX_DAYS = { day: 92, hour: 7 } as const;
export const MAX_EXPORT_DAYS = 31;

const DAY_MS = 86_400_000;
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;

/** date_from ≤ date_to, and at most `max` days from the first to the last. */
function period<T extends { date_from?: string; date_to?: string }>(max: (q: T) => number) {
  return (q: T, ctx: z.RefinementCtx) => {
    if (!q.date_from || !q.date_to) return;
    const days = daysBetween(q.date_from, q.date_to);
    if (days < 1) ctx.addIssue({ code: "custom", path: ["date_to"], message: "must not be before date_from" });
    else if (days > max(q)) ctx.addIssue({ code: "custom", path: ["date_to"], message: `must be at most ${max(q)} days after date_from, counting both` });
  };
}

const Id = z.string().min(1).max(64);

/** Whose figures: the organisation (organization_id for the platform admin), or one of its
 * branches, queues (and a counter of it) or agents. */
const scopeFields = {
  organization_id: OrganizationId.optional(),
  branch_id: Id.optional(),
  queue_id: Id.optional(),
  counter_id: Id.optional(),
  agent_id: Id.optional(),
};
export type ScopeQuery = { [K in keyof typeof scopeFields]?: string | undefined };

function oneScope(q: ScopeQuery, ctx: z.RefinementCtx): void {
  const named = (["branch_id", "queue_id", "agent_id"] as const).filter((k) => q[k] !== undefined);
  if (named.length > 1) ctx.addIssue({ code: "custom", path: [named[1]!], message: `name one of branch_id, queue_id and agent_id, not ${named.join(" and ")}` });
  if (q.counter_id !== undefined && q.queue_id === undefined) ctx.addIssue({ code: "custom", path: ["queue_id"], message: "is required with counter_id (a counter belongs to a queue)" });
}

export const Dashboard = restInput({
  query: z.object(scopeFields).strict().superRefine(oneScope),
});

export const QueueStats = restInput({
  query: z
    .object({
      ...scopeFields,
      date_from: Day.optional(),
      date_to: Day.optional(),
      granularity: z.enum(["hour", "day"]).default("day"),
    })
    .strict()
    .superRefine(oneScope)
    .superRefine(period((q) => MAX_DAYS[q.granularity])),
});

/** Citizens' behaviour is kept per organisation, branch and queue (not per counter or agent). */
export const UserBehavior = restInput({
  query: z
    .object({ organization_id: scopeFields.organization_id, branch_id: scopeFields.branch_id, queue_id: scopeFields.queue_id, date_from: Day.optional(), date_to: Day.optional() })
    .strict()
    .superRefine(oneScope)
    .superRefine(period(() => MAX_DAYS.day)),
});

export const Performance = restInput({ query: z.object({}).strict() });

export const Report = restInput({
  query: z
    .object({ ...scopeFields, date_from: Day, date_to: Day })
    .strict()
    .superRefine(oneScope)
    .superRefine(period(() => MAX_DAYS.day)),
});

/** Internal (business and queues analytics): an organisation's, or every organisation's (null), figures by day. */
export const Figures = z.object({ organization_id: OrganizationId.nullable(), date_to: Day, days: z.number().int().min(1).max(MAX_DAYS.day) }).strict();

/** Internal (notifications, for a served kiosk ticket whose number it keeps): the link that rates it. */
export const KioskRatingLink = z.object({ ticket_id: z.string().min(1).max(64) }).strict();

/** Internal (the appointments service's announcements): a booking, and how an appointment ended. */
export const RecordBooking = APPOINTMENT_ANNOUNCEMENTS.booked;
export const RecordAppointmentEnd = APPOINTMENT_ANNOUNCEMENTS.ended;

/** Internal (the scheduler's packing job): `now` decides which days are closed, for tests. */
export const PackExportDays = z.object({ now: z.iso.datetime({ offset: true }).optional() }).strict();

export const Export = restInput({
  query: z
    .object({
      kind: z.enum(["tickets"]),
      date_from: Day,
      date_to: Day,
      organization_id: OrganizationId.optional(),
    })
    .strict()
    .superRefine(period(() => MAX_EXPORT_DAYS)),
});

const Rating = z.object({ ticket_id: z.string().min(1).max(64), rating: z.number().int().min(1).max(5), comment: z.string().trim().max(1000).optional() });

export const Rate = restInput({ body: Rating.strict() });

/** The same, from the link in the "served" message: its token stands for the citizen. */
export const RateByLink = restInput({ body: Rating.extend({ token: z.string().min(1).max(2000) }).strict() });
