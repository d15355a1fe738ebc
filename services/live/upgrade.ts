// Answering a WebSocket upgrade after asynchronous checks, as uWebSockets.js requires:
// everything needed is read from the request before the first await (it is gone after),
// an abort handler marks a client that left meanwhile (its response must not be touched
// again), and the late answer is written corked. A refusal is a plain HTTP answer in the
// gateway's error shape, before any socket exists.
import { STATUS_CODES } from "node:http";
import type { LoggerInstance } from "moleculer";
import type { HttpRequest, HttpResponse, us_socket_context_t } from "uWebSockets.js";
import type { UpgradeRequest } from "./channel.ts";
import { failureOf } from "./messages.ts";
import { subprotocols } from "./subprotocols.ts";
import { addressFrom } from "../../mixins/api/client-address.ts";

export interface Admission<D> {
  /** How many `:param`s the route has. */
  arity: number;
  /** How many reverse proxies in front append to X-Forwarded-For (TRUST_PROXY). */
  trustedProxies: number;
  /** `gone` tells whether the client has left meanwhile. */
  admit(request: UpgradeRequest, gone: () => boolean): Promise<D>;
  abandon(data: D, request: UpgradeRequest): void;
  /** Writes a late answer when the server gets to it (see turn-slices.ts). */
  answer(write: () => void): void;
  logger: LoggerInstance;
}

export function answerUpgrade<D, U>(
  res: HttpResponse,
  req: HttpRequest,
  context: us_socket_context_t,
  admission: Admission<D>,
  userData: (data: D, request: UpgradeRequest) => U,
): void {
  const protocols = subprotocols(req.getHeader("sec-websocket-protocol"));
  const request: UpgradeRequest = {
    params: Array.from({ length: admission.arity }, (_, i) => req.getParameter(i)),
    protocolToken: protocols.token,
    queryToken: req.getQuery("token") || undefined,
    since: req.getQuery("since") || undefined,
    authorization: req.getHeader("authorization"),
    address: addressFrom(req.getHeader("x-forwarded-for"), Buffer.from(res.getRemoteAddressAsText()).toString(), admission.trustedProxies),
  };
  const key = req.getHeader("sec-websocket-key");
  const protocol = protocols.answer;
  const extensions = req.getHeader("sec-websocket-extensions");
  let aborted = false;
  res.onAborted(() => {
    aborted = true;
  });
  admission.admit(request, () => aborted).then(
    (data) =>
      admission.answer(() => {
        if (aborted) return admission.abandon(data, request);
        res.cork(() => res.upgrade(userData(data, request), key, protocol, extensions, context));
      }),
    (err) =>
      admission.answer(() => {
        if (!aborted) res.cork(() => answerError(res, err, admission.logger));
      }),
  );
}

/** An HTTP error answer in the gateway's shape; an unexpected failure is logged, not shown. */
export function answerError(res: HttpResponse, err: unknown, logger: LoggerInstance): void {
  const { status, body, unexpected } = failureOf(err);
  if (unexpected) logger.error({ err }, "live: unexpected error");
  res.writeStatus(`${status} ${STATUS_CODES[status]}`).writeHeader("Content-Type", "application/json; charset=utf-8").end(JSON.stringify(body));
}
