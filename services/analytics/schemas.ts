// Request shapes of the analytics service: they validate, type the handlers and feed the
// OpenAPI document. Days are UTC days (Senegal's time all year), YYYY-MM-DD.
import { z } from "zod";
import { restInput } from "../../mixins/api/validated.ts";

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

export const Dashboard = restInput({
  query: z.object({ organization_id: OrganizationId.optional() }).strict(),
});

export const QueueStats = restInput({
  query: z
    .object({
      queue_id: z.string().min(1).max(64),
      date_from: Day.optional(),
      date_to: Day.optional(),
      granularity: z.enum(["hour", "day"]).default("day"),
    })
    .strict()
    .superRefine(period((q) => MAX_DAYS[q.granularity])),
});

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

export const Rate = restInput({
  body: z.object({ ticket_id: z.string().min(1).max(64), rating: z.number().int().min(1).max(5), comment: z.string().trim().max(1000).optional() }).strict(),
});
