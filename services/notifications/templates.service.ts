// notifications.templates: the wording of every message, per event, channel and locale.
// Built-in wording is seeded at start and never overwritten; the platform admin may
// replace it. Lookups are Moleculer's cacher's (a change cleans them on every node through
// the db mixin), so notify asks for a template per message without reading the database.
import type { Service, ServiceSchema } from "moleculer";
import { requireRole, STAFF_ROLES } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import { definedOnly } from "../../mixins/api/pagination.ts";
import { created } from "../../mixins/api/responses.ts";
import { validated } from "../../mixins/api/validated.ts";
import { isDuplicateKey } from "../../mixins/db/claim.ts";
import { BY_ID_CACHE, dbMixin, entityOf } from "../../mixins/db.mixin.ts";
import type { NodeDeps } from "../node-deps.ts";
import * as S from "./schemas.ts";
import { notificationsStore, type TemplateDoc } from "./store.ts";
import { checkTemplate, seedBuiltIns, templateId } from "./templates/catalog.ts";
import { DEFAULT_LOCALE } from "./templates/events.ts";

const templatePath = (id: string) => `/api/notifications/templates/${id}/`;
const templates = (service: Service) => entityOf<TemplateDoc>(service);

export default function templatesService({ db }: NodeDeps): ServiceSchema {
  const store = notificationsStore(db);
  const model = store.templates;
  return {
    name: "notifications.templates",
    mixins: [dbMixin(model, { what: "template", stringIds: true, list: { searchFields: ["key", "body"], defaultOrdering: "key,channel,locale" } })],
    settings: { rest: "/notifications/templates" },
    actions: {
      listTemplates: {
        rest: "GET /",
        handler: validated(S.ListTemplates, async function (ctx) {
          requireRole(ctx, STAFF_ROLES, "read notification templates");
          const { key, channel, locale, ...page } = ctx.params.query;
          return templates(this).page(ctx, definedOnly({ key, channel, locale }), page);
        }),
      },
      getTemplate: {
        rest: "GET /:id",
        handler: validated(S.ById, async function (ctx) {
          requireRole(ctx, STAFF_ROLES, "read notification templates");
          return templates(this).wireOr404(ctx.params.params.id);
        }),
      },
      createTemplate: {
        rest: "POST /",
        handler: validated(S.CreateTemplate, async function (ctx) {
          const user = requireRole(ctx, ["platform_admin"], "create notification templates");
          const { key, channel, locale, body } = ctx.params.body;
          const subject = ctx.params.body.subject ?? null;
          const { placeholders, issues } = checkTemplate({ key, channel, subject, body });
          if (issues.length) throw errors.validation(issues);
          const id = templateId(key, channel, locale);
          const template = new model({ _id: id, key, channel, locale, subject, body, placeholders, built_in: false, updated_by: user.id });
          try {
            return created(ctx, templatePath(id), await templates(this).saved(ctx, template));
          } catch (err) {
            if (isDuplicateKey(err)) throw errors.conflict(`A template ${id} exists already; change it with PUT ${templatePath(id)}.`, { id });
            throw err;
          }
        }),
      },
      updateTemplate: {
        rest: "PUT /:id",
        handler: validated(S.UpdateTemplate, async function (ctx) {
          const user = requireRole(ctx, ["platform_admin"], "change notification templates");
          const template = await templates(this).docOr404(ctx.params.params.id);
          const { subject = template.subject, body = template.body } = ctx.params.body;
          const { placeholders, issues } = checkTemplate({ key: template.key, channel: template.channel, subject, body });
          if (issues.length) throw errors.validation(issues);
          template.set({ subject, body, placeholders, built_in: false, updated_by: user.id });
          return templates(this).saved(ctx, template);
        }),
      },

      /** Internal: the template for this locale, else the French one; null when neither exists. */
      find: {
        visibility: "public",
        cache: { keys: ["key", "channel", "locale"], ttl: BY_ID_CACHE.ttl },
        handler: validated(S.FindTemplate, async function (ctx) {
          const { key, channel, locale } = ctx.params;
          const own = await templates(this).byId(templateId(key, channel, locale));
          return own ?? (locale === DEFAULT_LOCALE ? null : templates(this).byId(templateId(key, channel, DEFAULT_LOCALE)));
        }),
      },
    },
    async started() {
      await seedBuiltIns(store);
    },
  };
}
