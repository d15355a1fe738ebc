// Who asks another service: a request's context, or the broker itself for work no request
// started (a timer's sweep).
import type { Context, ServiceBroker } from "moleculer";

export type Caller = Pick<Context, "call"> | Pick<ServiceBroker, "call">;

/** The caller's `call`, typed as a context's (the broker's has the same shape). */
export const callOf = (caller: Caller) => caller.call.bind(caller) as Context["call"];
