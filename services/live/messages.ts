// What the server sends on its sockets, in snake_case like the REST API, and how a
// failure is told: in the gateway's error shape, whether as an HTTP answer to a refused
// upgrade or as an `error` message on an open socket.
import type { QueueSnapshot } from "../../actors/queue/types.ts";
import { errorResponse } from "../api/error-response.ts";
import type { Delta } from "./delta.ts";

/** `name`: the queue's, for a screen to title it (a display token cannot read the REST API). */
export const snapshotMessage = (queueId: string, name: string, snapshot: QueueSnapshot) => ({
  type: "snapshot",
  queue_id: queueId,
  name,
  version: snapshot.version,
  snapshot,
});

/** A screen that came back at `version` and gets what it missed as the deltas that follow. */
export const resumedMessage = (queueId: string, version: number) => ({ type: "resumed", queue_id: queueId, version });

export const deltaMessage = (delta: Delta) => ({ type: "delta", ...delta });

export const pong = { type: "pong" } as const;

/** Any failure as { status, body: { error: { code, message, details } } }. Live parses no request bodies, so no body limit applies. */
export const failureOf = (err: unknown) => errorResponse(err, Number.POSITIVE_INFINITY);

export const errorMessage = (err: unknown) => ({ type: "error", error: failureOf(err).body.error });
