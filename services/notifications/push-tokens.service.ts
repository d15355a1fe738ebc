// notifications.push-tokens: the devices each user receives push messages on, one record
// per user (`_id` = user id). notify asks for a user's devices on every message through
// the broker's cacher (`byId`), which the db mixin cleans on every node when the user
// registers or drops a device, or a provider reports a token dead (`forget`).
import type { Context, Service, ServiceSchema } from "moleculer";
import { currentUser } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import { created, noContent } from "../../mixins/api/responses.ts";
import { validated } from "../../mixins/api/validated.ts";
import { dbMixin, entityOf } from "../../mixins/db.mixin.ts";
import type { NodeDeps } from "../node-deps.ts";
import * as S from "./schemas.ts";
import { notificationsStore, type PushDevice, type PushTokensDoc } from "./store.ts";
import { deviceToWire } from "./wire.ts";

export const PUSH_TOKENS = "notifications.push-tokens";
/** A user rarely has more than a few; the newest are kept. */
const MAX_DEVICES = 10;

export default function pushTokensService({ db }: NodeDeps): ServiceSchema {
  const model = notificationsStore(db).pushTokens;
  const entity = (service: Service) => entityOf<PushTokensDoc>(service);

  /** The user's record, new and empty if they never registered a device. */
  const recordOf = async (userId: string) => (await model.findById(userId)) ?? new model({ _id: userId, devices: [] });

  /** Keeps the devices that pass `keep`; answers whether any was dropped. */
  async function dropDevices(service: Service, ctx: Context, userId: string, keep: (device: PushDevice) => boolean): Promise<boolean> {
    const record = await model.findById(userId);
    const devices = record?.devices ?? [];
    const kept = devices.filter(keep);
    if (!record || kept.length === devices.length) return false;
    record.devices = kept;
    await entity(service).saved(ctx, record);
    return true;
  }

  return {
    name: PUSH_TOKENS,
    mixins: [dbMixin(model, { what: "push token", stringIds: true, list: { searchFields: [], defaultOrdering: "_id" } })],
    settings: { rest: "/notifications/push-tokens" },
    actions: {
      listPushTokens: {
        rest: "GET /",
        handler: validated(S.ListPushTokens, async function (ctx) {
          const record = await entity(this).byId(currentUser(ctx).id);
          return (record?.devices ?? []).map(deviceToWire);
        }),
      },
      registerPushToken: {
        rest: "POST /",
        handler: validated(S.RegisterPushToken, async function (ctx) {
          const user = currentUser(ctx);
          const { token, platform = null } = ctx.params.body;
          const record = await recordOf(user.id);
          const known = record.devices.find((d) => d.token === token);
          if (known && known.platform === platform) return deviceToWire(known);
          const device = { token, platform, registered_at: new Date() };
          record.devices = [...record.devices.filter((d) => d.token !== token), device].slice(-MAX_DEVICES);
          await entity(this).saved(ctx, record);
          return created(ctx, `/api/notifications/push-tokens/${encodeURIComponent(token)}/`, deviceToWire(device));
        }),
      },
      unregisterPushToken: {
        rest: "DELETE /:token",
        handler: validated(S.UnregisterPushToken, async function (ctx) {
          const { token } = ctx.params.params;
          if (!(await dropDevices(this, ctx, currentUser(ctx).id, (d) => d.token !== token))) throw errors.notFound("Push token");
          return noContent(ctx);
        }),
      },

      /** Internal: a provider said this token no longer reaches a device. */
      forget: {
        visibility: "public",
        handler: validated(S.ForgetPushToken, async function (ctx) {
          await dropDevices(this, ctx, ctx.params.user_id, (d) => d.token !== ctx.params.token);
        }),
      },
    },
  };
}
