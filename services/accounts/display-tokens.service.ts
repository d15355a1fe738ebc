// accounts.display-tokens: what office TV screens sign in with (display-tokens.ts), an
// entity service on the db mixin. Org admins issue, list and revoke their branches'
// tokens; the live gateway asks `authenticate` for the screen behind a token at every
// admission, which this service answers from its per-node memory of known tokens
// (forgotten on every node when a token is revoked: `accounts.sessions.changed`).
import type { Service, ServiceSchema } from "moleculer";
import { isAdminOf, requireRole } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import { definedOnly, paginate } from "../../mixins/api/pagination.ts";
import { created, noContent } from "../../mixins/api/responses.ts";
import { validated } from "../../mixins/api/validated.ts";
import { dbMixin, entityOf } from "../../mixins/db.mixin.ts";
import type { Stored } from "../../mixins/db/wire.ts";
import { broadcast, listener } from "../events.ts";
import type { NodeDeps } from "../node-deps.ts";
import { authenticateDisplay, displayTokens, displayTokenToWire, purgeExpiredDisplayTokens, type DisplayTokenDoc, type DisplayViewer } from "./display-tokens.ts";
import * as S from "./schemas.ts";
import { SessionCache } from "./session-cache.ts";
import { signDisplay } from "./tokens.ts";

export const DISPLAY_TOKENS = "accounts.display-tokens";
const PURGE_EVERY_MS = 60 * 60 * 1000;
const LIST = { searchFields: ["name"], defaultOrdering: "-created_at" };
const displayTokenPath = (id: string) => `/api/accounts/display-tokens/${id}/`;
const ADMINS = ["org_admin", "platform_admin"] as const;

export default function displayTokensService({ config, db }: NodeDeps): ServiceSchema {
  const model = displayTokens(db);
  const known = new SessionCache<DisplayViewer>(config.displayAuthCacheMs);
  const entity = (service: Service) => entityOf<DisplayTokenDoc>(service);
  let purgeTimer: NodeJS.Timeout | undefined;

  return {
    name: DISPLAY_TOKENS,
    mixins: [dbMixin(model, { what: "display token", stringIds: true, list: LIST })],
    settings: { rest: "/accounts/display-tokens" },
    actions: {
      createDisplayToken: {
        rest: "POST /",
        handler: validated(S.CreateDisplayToken, async function (ctx) {
          const actor = requireRole(ctx, ADMINS, "issue display tokens");
          const { branch_id, name } = ctx.params.body;
          const branch = await ctx.call<{ organization_id: string } | null, { id: string }>("business.branches.byId", { id: branch_id });
          if (!branch) throw errors.validation([{ path: "body.branch_id", message: "no such branch" }]);
          if (!isAdminOf(actor, branch.organization_id)) throw errors.forbidden("issue display tokens for another organisation's branch");
          const signed = signDisplay(config.jwt, branch_id);
          const doc = new model({ _id: signed.jti, organization_id: branch.organization_id, branch_id, name, created_by: actor.id, created_at: new Date(), expires_at: new Date(signed.exp * 1000) });
          await entity(this).saved(ctx, doc);
          return created(ctx, displayTokenPath(signed.jti), { ...displayTokenToWire(doc.toObject() as Stored<DisplayTokenDoc>), token: signed.token });
        }),
      },
      listDisplayTokens: {
        rest: "GET /",
        handler: validated(S.ListDisplayTokens, async function (ctx) {
          const actor = requireRole(ctx, ADMINS, "list display tokens");
          const { branch_id, organization_id, ...page } = ctx.params.query;
          const filter = definedOnly({ branch_id, organization_id });
          if (actor.role === "org_admin") filter.organization_id = actor.organization_id;
          return paginate(ctx, model, filter, page, LIST, displayTokenToWire);
        }),
      },
      revokeDisplayToken: {
        rest: "DELETE /:id",
        handler: validated(S.RevokeDisplayToken, async function (ctx) {
          const actor = requireRole(ctx, ADMINS, "revoke display tokens");
          const doc = await model.findById(ctx.params.params.id);
          // Another organisation's tokens are reported as missing, not as forbidden.
          if (!doc || !isAdminOf(actor, doc.organization_id)) throw errors.notFound("Display token");
          await entity(this).removed(ctx, doc);
          // The screen's sockets end on every node, and every node forgets the token.
          known.forget({ jti: doc._id });
          broadcast(ctx, "accounts.sessions.changed", { jti: doc._id });
          return noContent(ctx);
        }),
      },

      /** Internal, for the live gateway: the screen behind a display token. */
      authenticate: {
        visibility: "public",
        handler: validated(S.AuthenticateDisplay, async function (ctx) {
          return authenticateDisplay(model, config.jwt, ctx.params.token, known);
        }),
      },
    },
    events: {
      "accounts.sessions.changed": listener("accounts.sessions.changed", (change) => known.forget(change)),
    },
    started() {
      purgeTimer = setInterval(() => purgeExpiredDisplayTokens(model).catch((err) => this.logger.warn("display tokens: purge failed", err)), PURGE_EVERY_MS);
      purgeTimer.unref();
    },
    stopped() {
      clearInterval(purgeTimer);
    },
  };
}
