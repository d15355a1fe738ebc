// Who is opening a live channel. Browsers cannot set headers on a WebSocket, but they can
// offer subprotocols: the token comes as the subprotocol `bearer.<token>`, offered beside
// `smartqueue` (the one the server answers, so the token is never echoed), or as
// `Authorization: Bearer …` from other clients. A URL is written to proxies' logs, so
// `?token=…` is taken for display tokens only: good for one branch's screens, read-only and
// revocable. The accounts service verifies the token. An access token names a user; a
// display token names an office screen.
import jwt from "jsonwebtoken";
import { errors } from "../../mixins/api/errors.ts";
import type { AuthUser } from "../../mixins/api/meta.ts";
import type { DisplayViewer } from "../accounts/display-tokens.ts";
import type { Viewer } from "./access.ts";
import type { UpgradeRequest } from "./channel.ts";
import { BEARER_PROTOCOL, SUBPROTOCOL } from "./subprotocols.ts";

export type Call = <T>(action: string, params: object) => Promise<T>;

const HOW = `offer the subprotocols '${SUBPROTOCOL}' and '${BEARER_PROTOCOL}<access token>', or send 'Authorization: Bearer …'`;

export function tokenOf(request: UpgradeRequest): { token: string; inUrl: boolean } {
  if (request.protocolToken) return { token: request.protocolToken, inUrl: false };
  if (request.authorization) {
    const [scheme, token] = request.authorization.split(" ");
    if (scheme !== "Bearer" || !token) throw errors.tokenInvalid("expected 'Bearer <access token>'");
    return { token, inUrl: false };
  }
  if (request.queryToken) return { token: request.queryToken, inUrl: true };
  throw errors.notAuthenticated(HOW);
}

export async function viewerOf(call: Call, request: UpgradeRequest): Promise<Viewer> {
  const { token, inUrl } = tokenOf(request);
  // The unverified type only picks which check runs; that check verifies the signature.
  const claims = jwt.decode(token, { json: true });
  if (inUrl && claims?.token_type !== "display") throw errors.notAuthenticated(`only a display token may be sent in the URL, which proxies log; ${HOW}`);
  if (claims?.token_type === "display") {
    return { kind: "display", display: await call<DisplayViewer>("accounts.display-tokens.authenticate", { token }) };
  }
  return { kind: "user", user: await call<AuthUser>("accounts.authenticate", { token }) };
}
