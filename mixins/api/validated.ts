// Validation at the edge of every action: the zod schema parses ctx.params before the
// handler runs, and the same schema object feeds the OpenAPI document.
// The schema rides on the handler function, not in the action definition, because
// Moleculer deep-clones action definitions (which breaks zod objects) and ships them to
// other nodes in its INFO packets.
import type { Context, Service } from "moleculer";
import { z } from "zod";
import { errors, type FieldIssue } from "./errors.ts";
import type { CallMeta } from "./meta.ts";

export interface RestInputParts {
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
}

/** The gateway hands REST actions { body, query, params } (moleculer-web mergeParams: false). */
export function restInput<P extends RestInputParts>(parts: P) {
  return z.object({
    body: (parts.body ?? z.unknown()) as P["body"] extends z.ZodType ? P["body"] : z.ZodUnknown,
    query: (parts.query ?? z.object({}).loose()) as P["query"] extends z.ZodType ? P["query"] : z.ZodObject,
    params: (parts.params ?? z.object({}).loose()) as P["params"] extends z.ZodType ? P["params"] : z.ZodObject,
  });
}

export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(root)",
    message: issue.message,
  }));
}

export type ValidatedHandler<S extends z.ZodType, R> = ((this: Service, ctx: Context<unknown, CallMeta>) => Promise<R>) & {
  input: S;
};

export function validated<S extends z.ZodType, R>(
  schema: S,
  handler: (this: Service, ctx: Context<z.output<S>, CallMeta>) => R | Promise<R>,
): ValidatedHandler<S, R> {
  const wrapped = async function (this: Service, ctx: Context<unknown, CallMeta>) {
    const parsed = schema.safeParse(ctx.params ?? {});
    if (!parsed.success) throw errors.validation(toFieldIssues(parsed.error));
    (ctx as Context<z.output<S>, CallMeta>).params = parsed.data;
    return handler.call(this, ctx as Context<z.output<S>, CallMeta>);
  };
  return Object.assign(wrapped, { input: schema });
}
