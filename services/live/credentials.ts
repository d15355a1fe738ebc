// Who is opening a live channel. The token comes as `?token=…` (browsers cannot set
// headers on a WebSocket) or as `Authorization: Bearer …`; the accounts service verifies
// it. An access token names a user; a display token names an office screen.
import jwt from "jsonwebtoken";
import { errors } from "../../platform/errors.ts";
import type { AuthUser } from "../../platform/meta.ts";
import type { DisplayViewer } from "../accounts/display-tokens.ts";
import type { Viewer } from "./access.ts";
import type { UpgradeRequest } from "./channel.ts";

export type Call = <T>(action: string, params: object) => Promise<T>;

export function tokenOf(request: UpgradeRequest): string {
  if (request.queryToken) return request.queryToken;
  if (!request.authorization) throw errors.notAuthenticated("send the access token as '?token=…' or 'Authorization: Bearer …'");
  const [scheme, token] = request.authorization.split(" ");
  if (scheme !== "Bearer" || !token) throw errors.tokenInvalid("expected 'Bearer <access token>'");
  return token;
}

export async function viewerOf(call: Call, request: UpgradeRequest): Promise<Viewer> {
  const token = tokenOf(request);
  // The unverified type only picks which check runs; that check verifies the signature.
  const claims = jwt.decode(token, { json: true });
  if (claims?.token_type === "display") {
    return { kind: "display", display: await call<DisplayViewer>("accounts.authenticateDisplay", { token }) };
  }
  return { kind: "user", user: await call<AuthUser>("accounts.authenticate", { token }) };
}
