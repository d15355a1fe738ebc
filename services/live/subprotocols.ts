// A browser cannot set headers on a WebSocket but can offer subprotocols: the token is
// offered as `bearer.<token>` beside `smartqueue`, and the server answers `smartqueue`,
// so the token is never echoed back. (A client that offers subprotocols must get one of
// them back, or browsers fail the connection.)

/** The subprotocol the server answers; a client offering the token offers it too. */
export const SUBPROTOCOL = "smartqueue";
export const BEARER_PROTOCOL = "bearer.";

/** The token among the offered subprotocols, and the one to answer ("" for none). */
export function subprotocols(offered: string): { token: string | undefined; answer: string } {
  const names = offered.split(",").map((name) => name.trim());
  const bearer = names.find((name) => name.startsWith(BEARER_PROTOCOL));
  return { token: bearer?.slice(BEARER_PROTOCOL.length) || undefined, answer: names.includes(SUBPROTOCOL) ? SUBPROTOCOL : "" };
}
