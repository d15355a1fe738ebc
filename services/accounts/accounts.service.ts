// services/accounts: registration, login, token rotation, logout and user management. The
// display tokens of office screens are their own entity service (display-tokens.service.ts).
import type { Context, ServiceSchema } from "moleculer";
import { currentUser, requireRole } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { CallMeta } from "../../mixins/api/meta.ts";
import type { NodeDeps } from "../node-deps.ts";
import { paginate } from "../../mixins/api/pagination.ts";
import { created, noContent } from "../../mixins/api/responses.ts";
import { validated } from "../../mixins/api/validated.ts";
import { ensurePlatformAdmin } from "./first-admin.ts";
import { toE164 } from "./phone.ts";
import * as S from "./schemas.ts";
import { SessionCache } from "./session-cache.ts";
import { LoginThrottle } from "./login-throttle.ts";
import { authenticate, checkCredentials, issueTokens, logout, purgeExpired, rotateRefresh } from "./sessions.ts";
import { accountsStore, emailKey, ensureAccountsIndexes, phoneKey } from "./store.ts";
import {
  applyUserChanges,
  canManage,
  checkOrganisationForRole,
  createUser,
  deleteUser,
  fieldsOutOfReach,
  findUser,
  userToWire,
} from "./users.ts";
import { broadcast, listener } from "../events.ts";

const PURGE_EVERY_MS = 60 * 60 * 1000;
const userPath = (id: string) => `/api/accounts/users/${id}/`;

export default function accountsService({ config, db }: NodeDeps): ServiceSchema {
  const store = accountsStore(db);
  const throttle = new LoginThrottle(store.loginFailures, config.loginThrottle);
  const jwt = config.jwt;
  const region = config.defaultPhoneRegion;
  const sessions = new SessionCache(config.authCacheMs);
  let purgeTimer: NodeJS.Timeout | undefined;

  /** Drops remembered sessions here at once, and on the other nodes by broadcast. */
  function sessionsChanged(ctx: Context, change: { jti?: string; user_id?: string }) {
    forgetSessions(change);
    broadcast(ctx, "accounts.sessions.changed", change);
  }

  function forgetSessions(change: { jti?: string; user_id?: string }) {
    sessions.forget(change);
  }

  async function manageableUser(ctx: Context<unknown, CallMeta>, id: string) {
    const actor = currentUser(ctx);
    const user = await findUser(store, id);
    // Users outside the caller's reach are reported as missing, not as forbidden.
    if (!user || !canManage(actor, user)) throw errors.notFound("User");
    return { actor, user };
  }

  async function checkOrganisationExists(ctx: Context, organizationId: string | null | undefined) {
    if (!organizationId) return;
    const exists = await ctx.call<boolean, { id: string }>("business.organizations.exists", { id: organizationId });
    if (!exists) throw errors.validation([{ path: "body.organization_id", message: "no such organisation" }]);
  }

  return {
    name: "accounts",
    settings: { rest: "/accounts" },
    actions: {
      register: {
        rest: "POST /auth/register",
        anonymous: true,
        handler: validated(S.Register, async function (ctx) {
          const body = ctx.params.body;
          const user = userToWire(await createUser(store, { ...body, phone: toE164(body.phone, region), role: "citizen" }));
          return created(ctx, userPath(user.id), { user, ...(await issueTokens(store, jwt, { id: user.id })) });
        }),
      },
      login: {
        rest: "POST /auth/login",
        anonymous: true,
        handler: validated(S.Login, async function (ctx) {
          const { phone, email, password } = ctx.params.body;
          const key = phone ? phoneKey(toE164(phone, region)) : emailKey(email!);
          const address = ctx.meta.request?.client_address ?? "internal";
          await throttle.check(key, address);
          const user = await checkCredentials(store, key, password).catch(async (err) => {
            if ((err as { type?: string }).type === "bad_credentials") await throttle.failed(key, address);
            throw err;
          });
          const wire = userToWire(user.toObject());
          return { ...(await issueTokens(store, jwt, { id: wire.id, session_epoch: user.session_epoch })), user: wire };
        }),
      },
      refresh: {
        rest: "POST /auth/refresh",
        anonymous: true,
        handler: validated(S.Refresh, async function (ctx) {
          return rotateRefresh(store, jwt, ctx.params.body.refresh);
        }),
      },
      logout: {
        rest: "POST /auth/logout",
        handler: validated(S.Logout, async function (ctx) {
          const caller = currentUser(ctx);
          await logout(store, jwt, caller, ctx.params.body.refresh);
          sessionsChanged(ctx, { jti: caller.jti });
          return noContent(ctx);
        }),
      },
      me: {
        rest: "GET /users/me",
        handler: validated(S.Me, async function (ctx) {
          const user = await findUser(store, currentUser(ctx).id);
          if (!user) throw errors.notFound("User");
          return userToWire(user.toObject());
        }),
      },
      updateMe: {
        rest: "PATCH /users/me",
        handler: validated(S.UpdateMe, async function (ctx) {
          const { current_password, ...changes } = ctx.params.body;
          const user = await findUser(store, currentUser(ctx).id);
          if (!user) throw errors.notFound("User");
          if (!changes.password) return userToWire(await applyUserChanges(store, user, changes));
          await checkCredentials(store, phoneKey(user.phone), current_password ?? "");
          // Every session of the account ends, this one included; it goes on with new tokens.
          const updated = userToWire(await applyUserChanges(store, user, changes));
          sessionsChanged(ctx, { user_id: updated.id });
          return { ...updated, ...(await issueTokens(store, jwt, { id: updated.id, session_epoch: user.session_epoch })) };
        }),
      },
      listUsers: {
        rest: "GET /users",
        handler: validated(S.ListUsers, async function (ctx) {
          const actor = requireRole(ctx, ["org_admin", "platform_admin"], "list users");
          const { role, organization_id, ...page } = ctx.params.query;
          const filter: Record<string, unknown> = {};
          if (role) filter.role = role;
          if (organization_id) filter.organization_id = organization_id;
          if (actor.role === "org_admin") Object.assign(filter, { organization_id: actor.organization_id, role: "agent" });
          return paginate(ctx, store.users, filter, page, { searchFields: ["phone", "email", "first_name", "last_name"], defaultOrdering: "-created_at" }, userToWire);
        }),
      },
      createUser: {
        rest: "POST /users",
        handler: validated(S.CreateUser, async function (ctx) {
          const actor = requireRole(ctx, ["org_admin", "platform_admin"], "create users");
          const body = { ...ctx.params.body };
          if (actor.role === "org_admin") {
            if (body.role !== "agent") throw errors.forbidden("create users other than agents");
            if (body.organization_id && body.organization_id !== actor.organization_id) {
              throw errors.forbidden("create users in another organisation");
            }
            body.organization_id = actor.organization_id;
          }
          checkOrganisationForRole(body.role, body.organization_id);
          await checkOrganisationExists(ctx, body.organization_id);
          const user = userToWire(await createUser(store, { ...body, phone: toE164(body.phone, region) }));
          return created(ctx, userPath(user.id), user);
        }),
      },
      getUser: {
        rest: "GET /users/:id",
        handler: validated(S.GetUser, async function (ctx) {
          const { user } = await manageableUser(ctx, ctx.params.params.id);
          return userToWire(user.toObject());
        }),
      },
      updateUser: {
        rest: "PUT /users/:id",
        handler: validated(S.UpdateUser, async function (ctx) {
          const { actor, user } = await manageableUser(ctx, ctx.params.params.id);
          const changes = ctx.params.body;
          const refused = fieldsOutOfReach(actor, user, changes);
          if (refused.length) throw errors.forbidden(`change ${refused.join(", ")}`);
          if (actor.role === "platform_admin") {
            const role = changes.role ?? user.role;
            const organizationId = changes.organization_id !== undefined ? changes.organization_id : user.organization_id;
            checkOrganisationForRole(role, organizationId);
            await checkOrganisationExists(ctx, changes.organization_id);
          }
          const updated = userToWire(await applyUserChanges(store, user, changes));
          sessionsChanged(ctx, { user_id: updated.id });
          return updated;
        }),
      },
      deleteUser: {
        rest: "DELETE /users/:id",
        handler: validated(S.DeleteUser, async function (ctx) {
          const { user } = await manageableUser(ctx, ctx.params.params.id);
          await deleteUser(store, user);
          sessionsChanged(ctx, { user_id: String(user._id) });
          return noContent(ctx);
        }),
      },

      // Internal actions (no REST route).
      authenticate: {
        visibility: "public",
        handler: validated(S.Authenticate, async function (ctx) {
          return authenticate(store, jwt, ctx.params.token, sessions);
        }),
      },
      /** Phone, e-mail, locale and whether the account is active; null for no such user. */
      contactOf: {
        visibility: "public",
        handler: validated(S.ContactOf, async function (ctx) {
          const user = await findUser(store, ctx.params.id);
          if (!user) return null;
          return { id: String(user._id), phone: user.phone, email: user.email, locale: user.locale, is_active: user.is_active };
        }),
      },
      countStaff: {
        visibility: "public",
        handler: validated(S.CountStaff, async function (ctx) {
          const filter = { role: { $in: ["agent", "org_admin"] }, ...(ctx.params.organization_id ? { organization_id: ctx.params.organization_id } : {}) };
          return store.users.countDocuments(filter);
        }),
      },
    },
    events: {
      "accounts.sessions.changed": listener("accounts.sessions.changed", forgetSessions),
    },
    async started() {
      await ensureAccountsIndexes(store);
      if (config.firstAdmin) await ensurePlatformAdmin(store, config.firstAdmin, region, this.logger);
      const purge = () => purgeExpired(store);
      purgeTimer = setInterval(() => purge().catch((err) => this.logger.warn("purge failed", err)), PURGE_EVERY_MS);
      purgeTimer.unref();
    },
    async stopped() {
      clearInterval(purgeTimer);
    },
  };
}
