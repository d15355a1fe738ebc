// services/api: the REST gateway. It only routes: it authenticates the bearer token,
// limits the auth routes, parses JSON within a size limit, and shapes every error.
// Routes come from the services' own `rest` declarations (autoAliases), so a service
// that joins on another node is routed as soon as it is seen.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context, ServiceSchema } from "moleculer";
import ApiGateway from "moleculer-web";
import { errors, RETRY_AFTER_SECONDS } from "../../mixins/api/errors.ts";
import type { AuthUser, CallMeta } from "../../mixins/api/meta.ts";
import type { NodeDeps } from "../node-deps.ts";
import { mongoAnswers } from "../../mixins/db/connection.ts";
import { errorResponse } from "./error-response.ts";
import { authRateLimiter } from "./auth-rate-limit.ts";
import { clientAddress } from "../../mixins/api/client-address.ts";
import { buildOpenApi } from "./openapi.ts";
import { swaggerAsset, swaggerPage } from "./swagger-ui.ts";
import { serveAsset, serveClip, servePage } from "./pages.ts";

const MAX_TOKEN_LENGTH = 4096;

/** `$action`: the called action's definition, set by moleculer-web before authorisation. */
type Req = IncomingMessage & { $ctx?: Context<unknown, CallMeta>; $action?: { anonymous?: boolean }; $startTime?: [number, number]; query?: Record<string, string> };

export default function apiService(deps: NodeDeps & { documented: ServiceSchema[] }): ServiceSchema {
  const { config, db } = deps;

  const clientKey = (req: IncomingMessage) => clientAddress(req, config.trustedProxies);

  function requestInfo(req: Req) {
    const proto = (config.trustedProxies > 0 && req.headers["x-forwarded-proto"]) || "http";
    const url = new URL(req.url ?? "/", "http://x");
    const originalPath = (req as unknown as { originalUrl?: string }).originalUrl?.split("?")[0] ?? url.pathname;
    const idempotencyKey = req.headers["idempotency-key"];
    return {
      origin: `${proto}://${req.headers.host ?? `${config.host}:${config.port}`}`,
      path: originalPath,
      query: req.query ?? {},
      client_address: clientKey(req),
      ...(typeof idempotencyKey === "string" && { idempotency_key: idempotencyKey }),
    };
  }

  function accessLog(this: { logger: { info: (...a: unknown[]) => void } }, req: Req, res: ServerResponse, next: () => void) {
    const started = process.hrtime.bigint();
    res.once("finish", () => {
      this.logger.info({
        request_id: res.getHeader("X-Request-ID") ?? req.$ctx?.requestID,
        method: req.method,
        path: (req as unknown as { originalUrl?: string }).originalUrl?.split("?")[0] ?? req.url,
        status: res.statusCode,
        duration_ms: Number(process.hrtime.bigint() - started) / 1e6,
        user_id: req.$ctx?.meta.user?.id ?? null,
      }, "request");
    });
    next();
  }

  const limitAuth = authRateLimiter(config.authRateLimitPerMinute);
  // moleculer-web builds the REST routes from the registry a moment after services appear.
  let routesGenerated = false;

  const jsonRoute = {
    path: "/api",
    autoAliases: true,
    mergeParams: false,
    authentication: true,
    authorization: true,
    bodyParsers: { json: { strict: true, limit: config.maxBodyBytes }, urlencoded: false },
    callOptions: { timeout: config.requestTimeoutMs },
    onBeforeCall(ctx: Context<unknown, CallMeta>, _route: unknown, req: Req, res: ServerResponse, alias: { action?: string }) {
      limitAuth(alias.action ?? "", clientKey(req), (name, value) => res.setHeader(name, value));
      const method = req.method ?? "GET";
      const hasBody = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
      if (["POST", "PUT", "PATCH"].includes(method) && hasBody && !String(req.headers["content-type"] ?? "").includes("json")) {
        throw errors.unsupportedMediaType();
      }
      ctx.meta.request = requestInfo(req);
    },
  };

  // Payment providers' notifications: no bearer token (each provider proves itself its own
  // way, services/payments/providers), and the body kept as it came, as text, because a
  // signature is computed over the raw bytes, not over JSON parsed and written again.
  const webhookRoute = {
    path: "/api/payments/webhooks",
    mergeParams: false,
    authentication: false,
    authorization: false,
    bodyParsers: { json: false, urlencoded: false, text: { type: () => true, limit: config.maxBodyBytes } },
    aliases: { "POST /": "payments.webhook", "POST /:provider": "payments.webhook" },
    callOptions: { timeout: config.requestTimeoutMs },
    onBeforeCall(ctx: Context<unknown, CallMeta & { webhook?: { headers: IncomingMessage["headers"] } }>, _route: unknown, req: Req) {
      ctx.meta.request = requestInfo(req);
      ctx.meta.webhook = { headers: req.headers };
    },
  };

  // The office pages: static, public (each page signs in on its own), last so that no
  // page path ever shadows the API's.
  const live = { url: config.pagesLiveUrl, port: config.wsPort };
  const pagesRoute = {
    path: "/",
    authentication: false,
    authorization: false,
    bodyParsers: { json: false, urlencoded: false },
    aliases: {
      "GET display": servePage("display", live),
      "GET agent": servePage("agent", live),
      "GET kiosk": servePage("kiosk", live),
      "GET t/:code": servePage("tracker", live),
      "GET rate": servePage("rate", live),
      "GET pages/:file": serveAsset,
      "GET clips/:lang/:file": serveClip(config.callClipsDir),
    },
  };

  return {
    name: "api",
    mixins: [ApiGateway],
    settings: {
      rest: "/",
      port: config.port,
      ip: config.host,
      logRequest: null,
      logResponse: null,
      // moleculer-web logs a request's parameters at debug by default: passwords, phone
      // numbers and positions would reach the log.
      logRequestParams: null,
      log4XXResponses: false,
      // REST routes are regenerated this long after the last service (re)registered: the
      // default 500 ms was most of a node's wait to be ready, and a regeneration is cheap.
      debounceTime: 50,
      cors: config.corsOrigins.length
        ? {
            origin: config.corsOrigins,
            methods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allowedHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"],
            exposedHeaders: ["X-Request-ID"],
            maxAge: 600,
          }
        : undefined,
      routes: [
        {
          path: "/health",
          aliases: { "GET live": "api.live", "GET ready": "api.ready" },
        },
        {
          path: "/api/docs",
          aliases: {
            "GET /": "api.docs",
            "GET :file": "api.docsAsset",
          },
        },
        webhookRoute,
        jsonRoute,
        pagesRoute,
      ],
      // One access-log line per request, with the id that follows it across services.
      use: [accessLog],
      onError(this: { logger: { error: (...a: unknown[]) => void } }, req: Req, res: ServerResponse, err: unknown) {
        const { status, body, unexpected } = errorResponse(err, config.maxBodyBytes);
        if (unexpected) this.logger.error({ request_id: req.$ctx?.requestID, url: req.url, err }, "unexpected error");
        if (!res.headersSent) {
          res.setHeader("Content-Type", "application/json; charset=utf-8");
          const asked = (body.error.details as { retry_after_seconds?: unknown } | null)?.retry_after_seconds;
          if (typeof asked === "number") res.setHeader("Retry-After", String(asked));
          else if (status === 503) res.setHeader("Retry-After", String(RETRY_AFTER_SECONDS));
          res.writeHead(status);
        }
        res.end(JSON.stringify(body));
      },
    },
    events: {
      // Ready only with routes built once every local service has started: a build made
      // while services are still registering (50 ms apart at most, debounceTime) lacks some.
      "$broker.started"(this: { regenerateAllAutoAliases(): void }) {
        this.regenerateAllAutoAliases();
      },
      "$api.aliases.regenerated"(this: { broker: { started: boolean } }) {
        if (this.broker.started) routesGenerated = true;
      },
    },
    methods: {
      /** No Authorization header: anonymous (actions that need a user answer 401). */
      async authenticate(ctx: Context, _route: unknown, req: IncomingMessage): Promise<AuthUser | null> {
        const header = req.headers.authorization;
        if (!header) return null;
        const [scheme, token] = header.split(" ");
        // No token of ours is anywhere near 4 KB: a longer one is not a token, and must not
        // reach the accounts service's validation (a 400 where a 401 is due).
        if (scheme !== "Bearer" || !token || token.length > MAX_TOKEN_LENGTH) throw errors.tokenInvalid("expected 'Bearer <access token>'");
        return ctx.call<AuthUser, { token: string }>("accounts.authenticate", { token });
      },
      /**
       * 401 for an anonymous caller before the action validates or looks anything up, so
       * nothing (not even whether an id exists) is learnt without a token. The few actions
       * open to anyone (login, register, refresh) say `anonymous: true`.
       */
      authorize(ctx: Context<unknown, CallMeta>, _route: unknown, req: Req) {
        if (!ctx.meta.user && !req.$action?.anonymous) throw errors.notAuthenticated();
      },
    },
    actions: {
      live: {
        handler: () => ({ status: "ok" }),
      },
      ready: {
        async handler(this: { broker: { transit?: { connected: boolean } } }, ctx: Context<unknown, CallMeta>) {
          const checks = {
            mongodb: await mongoAnswers(db),
            transporter: this.broker.transit ? this.broker.transit.connected : true,
            routes: routesGenerated,
          };
          const ready = Object.values(checks).every(Boolean);
          if (!ready) ctx.meta.$statusCode = 503;
          return { status: ready ? "ready" : "not_ready", checks };
        },
      },
      openapi: {
        rest: "GET /openapi.json",
        anonymous: true,
        handler: () => buildOpenApi(deps.documented),
      },
      docs: {
        handler: (ctx: Context<unknown, CallMeta & { $responseType?: string }>) => {
          ctx.meta.$responseType = "text/html; charset=utf-8";
          return swaggerPage();
        },
      },
      docsAsset: {
        handler: (ctx: Context<{ file?: string }, CallMeta & { $responseType?: string }>) => {
          const asset = swaggerAsset(String(ctx.params.file ?? ""));
          ctx.meta.$responseType = asset.type;
          return asset.content;
        },
      },
    },
  };
}
