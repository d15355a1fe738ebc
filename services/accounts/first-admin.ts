// The first platform admin, from ADMIN_PHONE/ADMIN_PASSWORD or `npm run create-admin`.
import type { LoggerInstance } from "moleculer";
import { AppError } from "../../mixins/api/errors.ts";
import { PasswordPolicy } from "./passwords.ts";
import { toE164 } from "./phone.ts";
import { phoneKey, type AccountsStore } from "./store.ts";
import { createUser } from "./users.ts";

export async function ensurePlatformAdmin(
  store: AccountsStore,
  admin: { phone: string; password: string },
  region: string,
  logger?: LoggerInstance,
): Promise<"created" | "exists"> {
  const phone = toE164(admin.phone, region, "ADMIN_PHONE");
  if (await store.identities.exists({ _id: phoneKey(phone) })) return "exists";
  const policy = PasswordPolicy.safeParse(admin.password);
  if (!policy.success) throw new Error(`ADMIN_PASSWORD ${policy.error.issues[0].message}`);
  try {
    await createUser(store, { phone, password: admin.password, role: "platform_admin" });
  } catch (err) {
    // Another node created it at the same moment.
    if (err instanceof AppError && err.type === "conflict") return "exists";
    throw err;
  }
  logger?.info(`Created the platform admin ${phone}`);
  return "created";
}
