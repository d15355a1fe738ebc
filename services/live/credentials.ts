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
import { sessionOfViewer, type Viewer } from "./access.ts";
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

/** The unverified type only picks which check runs; that check verifies the signature. */
function kindOf(token: string): Viewer["kind"] {
  return jwt.decode(token, { json: true })?.token_type === "display" ? "display" : "user";
}

/** How long a viewer is remembered: AUTH_CACHE_SECONDS and DISPLAY_AUTH_CACHE_SECONDS, as on the accounts side. */
export interface ViewerMemory {
  userMs: number;
  displayMs: number;
}

interface Known {
  viewer: Viewer;
  /** Its session's keys (`jti:…`, `user:…`), which a change names. */
  keys: string[];
  until: number;
}

/** Entries past this are swept of the expired, then of the oldest. */
const MAX_KNOWN = 100_000;

// A node remembers who a token belongs to, for as long as the accounts service does
// (services/accounts/session-cache.ts) and forgetting it on the same broadcast: a live
// node restarting has its screens back by the thousand with a handful of tokens, and a
// NATS round trip each to the accounts service was most of a re-admission's cost. The
// checks of one token under way at once are one call. A check under way when a session
// changes is not remembered, as it may have been answered before the change.
export class Credentials {
  private readonly known = new Map<string, Known>();
  private readonly checking = new Map<string, Promise<Viewer>>();
  private changes = 0;

  constructor(
    private readonly call: Call,
    private readonly memory: ViewerMemory,
    private readonly now: () => number = Date.now,
  ) {}

  async viewerOf(request: UpgradeRequest): Promise<Viewer> {
    const { token, inUrl } = tokenOf(request);
    // A token remembered is not decoded again: screens coming back by the thousand bring
    // a handful of tokens, and decoding one at each admission was about 6% of a restarted
    // node's work (docs/bench-runs/2026-12-03-hand-over.md).
    const known = this.known.get(token);
    const remembered = known && known.until > this.now() ? known.viewer : null;
    const kind = remembered?.kind ?? kindOf(token);
    if (inUrl && kind !== "display") throw errors.notAuthenticated(`only a display token may be sent in the URL, which proxies log; ${HOW}`);
    if (remembered) return remembered;
    let checking = this.checking.get(token);
    if (!checking) {
      const changes = this.changes;
      checking = this.check(token, kind).then((viewer) => {
        if (changes === this.changes) this.remember(token, viewer);
        return viewer;
      });
      this.checking.set(token, checking);
      void checking.then(
        () => this.checking.delete(token),
        () => this.checking.delete(token),
      );
    }
    return checking;
  }

  /** A logout, a revoked screen, a user changed (`accounts.sessions.changed`). */
  forget({ jti, user_id }: { jti?: string; user_id?: string }): void {
    this.changes++;
    const changed = [jti && `jti:${jti}`, user_id && `user:${user_id}`].filter(Boolean);
    for (const [token, { keys }] of this.known) if (keys.some((key) => changed.includes(key))) this.known.delete(token);
  }

  private async check(token: string, kind: Viewer["kind"]): Promise<Viewer> {
    if (kind === "display") return { kind, display: await this.call<DisplayViewer>("accounts.display-tokens.authenticate", { token }) };
    return { kind, user: await this.call<AuthUser>("accounts.authenticate", { token }) };
  }

  private remember(token: string, viewer: Viewer): void {
    const { keys, expiresAt } = sessionOfViewer(viewer);
    const until = Math.min(this.now() + (viewer.kind === "display" ? this.memory.displayMs : this.memory.userMs), expiresAt ?? Infinity);
    if (until <= this.now()) return;
    this.known.delete(token); // set again at the end: the sweep drops the oldest first
    this.known.set(token, { viewer, keys, until });
    if (this.known.size > MAX_KNOWN) this.sweep();
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, known] of this.known) if (known.until <= now) this.known.delete(token);
    for (const token of this.known.keys()) {
      if (this.known.size <= MAX_KNOWN / 2) break;
      this.known.delete(token);
    }
  }
}
