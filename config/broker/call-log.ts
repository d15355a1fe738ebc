// One debug line per action call, with the request id that Moleculer carries from the
// gateway through every nested call on every node: `LOG_LEVEL=debug` and a grep for one
// request_id shows the whole path of a request across services. Installed only at debug
// level (moleculer.config.ts), so it costs nothing otherwise.
import { performance } from "node:perf_hooks";
import type { ActionHandler, ActionSchema, Context, Middleware } from "moleculer";

function logCalls(next: ActionHandler, action: ActionSchema): ActionHandler {
  return async function logged(ctx: Context) {
    const started = performance.now();
    let outcome = "ok";
    try {
      return await next(ctx);
    } catch (err) {
      outcome = (err as { type?: string }).type ?? "error";
      throw err;
    } finally {
      (ctx.service?.logger ?? ctx.broker.logger).debug({
        request_id: ctx.requestID,
        action: action.name,
        caller: ctx.caller,
        level_of_nesting: ctx.level,
        outcome,
        duration_ms: Math.round((performance.now() - started) * 100) / 100,
      });
    }
  };
}

export const callLog = { localAction: logCalls } as Middleware;
