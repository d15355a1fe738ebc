// Rating through a link: when a citizen's ticket is served, the "served" message
// (`ticket.served`) carries a link that lets them rate it without logging in; a kiosk
// ticket's, texted to the number its citizen gave (services/notifications), names no
// citizen. The link holds a signed token (mixins/api/signed-tokens.ts) of type "rating"
// naming the ticket and its citizen (null for a kiosk ticket), good for RATING_LINK_TTL_DAYS; it follows '#', which browsers never send, so no
// server or proxy log holds it. Posting it rates as POST /ratings/ does (ratings.ts): the
// insert under the ticket's id keeps it once, whichever way the rating came.
import type { Config } from "../../config/index.ts";
import { errors } from "../../mixins/api/errors.ts";
import { signToken, verifyToken } from "../../mixins/api/signed-tokens.ts";
import type { QueueChanged } from "../events.ts";

const TOKEN_TYPE = "rating";

interface LinkConfig {
  jwt: Config["jwt"];
  ratingLink: Config["analytics"]["ratingLink"];
}

/** The link that rates this ticket as this citizen, or as whoever holds a kiosk ticket's number (null). */
export function ratingLink({ jwt, ratingLink }: LinkConfig, ticketId: string, userId: string | null): string {
  const { token } = signToken({ token_type: TOKEN_TYPE, sub: ticketId, uid: userId }, jwt.accessSecret, ratingLink.ttlSeconds, jwt.issuer);
  return `${ratingLink.url}#${token}`;
}

/** The citizen a link's token rates this ticket for (null: a kiosk ticket's); 401 for a forged or expired token, or another ticket's. */
export function citizenOfLink({ jwt }: LinkConfig, token: string, ticketId: string): string | null {
  const claims = verifyToken(token, jwt.accessSecret, jwt.issuer, TOKEN_TYPE);
  if (claims.sub !== ticketId) throw errors.tokenInvalid("it rates another ticket");
  if (typeof claims.uid !== "string" && claims.uid !== null) throw errors.tokenInvalid("it names no citizen");
  return claims.uid;
}

/** The "served" messages a change asks for: one per ticket it completed that has a citizen's account. */
export function servedMessages(change: QueueChanged, linkOf: (ticketId: string, userId: string) => string, channels: readonly string[]) {
  return change.events.flatMap((event) => {
    const ticket = event.ticket as { id: string; user_id: string | null; number?: unknown } | undefined;
    if (event.type !== "ticket.completed" || !ticket?.user_id) return [];
    return [{
      user_id: ticket.user_id,
      event: "ticket.served",
      data: { number: String(ticket.number ?? ""), link: linkOf(ticket.id, ticket.user_id) },
      // One message per ticket, however often the change is heard.
      idempotency_key: `served:${ticket.id}`,
      channels: [...channels], // RATING_LINK_CHANNELS
    }];
  });
}
