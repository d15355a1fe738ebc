// Status codes other than 200, set through ctx.meta for moleculer-web to answer with.
import type { Context } from "moleculer";
import type { CallMeta } from "./meta.ts";

/** 201 with the Location of the new resource (a path under /api, trailing slash as the seed). */
export function created<T>(ctx: Context<unknown, CallMeta>, location: string, body: T): T {
  ctx.meta.$statusCode = 201;
  ctx.meta.$location = location;
  return body;
}

export function noContent(ctx: Context<unknown, CallMeta>): null {
  ctx.meta.$statusCode = 204;
  return null;
}
