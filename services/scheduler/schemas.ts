// Inputs of the scheduler's internal actions and the data of `call:` jobs.
import { z } from "zod";

export const ACTION_NAME = /^[\w-]+(\.[\w-]+)+$/;
export const CALL_PREFIX = "call:";

export const CallData = z.object({
  action: z.string().regex(ACTION_NAME, "a Moleculer action such as notifications.send"),
  params: z.record(z.string(), z.unknown()).default({}),
  idempotency_key: z.string().min(1).max(200),
});
export type CallData = z.infer<typeof CallData>;

export const Schedule = z
  .object({
    name: z.string().min(1).max(200),
    at: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
    data: z.record(z.string(), z.unknown()).default({}),
    /** Same key, same job: scheduling again changes nothing. */
    key: z.string().min(1).max(200),
    /** The caller has just claimed what the key names, so nobody can hold the key yet: it
     * is not read first (for a call; a key scheduled again this way leaves an entry that is
     * skipped when due). Saves a read per delivery's watching attempt in a busy office. */
    fresh: z.boolean().default(false),
  })
  .superRefine((input, ctx) => {
    if (!input.name.startsWith(CALL_PREFIX)) return;
    const action = input.name.slice(CALL_PREFIX.length);
    const data = CallData.safeParse({ idempotency_key: input.key, ...input.data });
    if (!ACTION_NAME.test(action)) ctx.addIssue({ code: "custom", path: ["name"], message: "must be call:<service.action>" });
    else if (!data.success) ctx.addIssue({ code: "custom", path: ["data"], message: data.error.issues[0].message });
    else if (data.data.action !== action) ctx.addIssue({ code: "custom", path: ["data", "action"], message: `must be ${action}, as in the job's name` });
  })
  // A call's idempotency key is the job's key unless the caller names another.
  .transform((input) => (input.name.startsWith(CALL_PREFIX) ? { ...input, data: { idempotency_key: input.key, ...input.data } } : input));

export const Ping = z.object({ key: z.string().min(1).max(200) });
