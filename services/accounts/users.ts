// Users: creation with unique phone and e-mail, updates, deletion, and who may see or
// change whom. Citizens and platform admins belong to no organisation; agents and org
// admins to exactly one.
import { Types, type HydratedDocument } from "mongoose";
import { errors } from "../../mixins/api/errors.ts";
import type { AuthUser, Role } from "../../mixins/api/meta.ts";
import { claimOnce } from "../../mixins/db/claim.ts";
import { deleteByIds } from "../../mixins/db/delete-by-ids.ts";
import { isObjectId, withId, type Stored } from "../../mixins/db/wire.ts";
import { hashPassword } from "./passwords.ts";
import { emailKey, phoneKey, type AccountsStore, type Locale, type UserDoc } from "./store.ts";

export type WireUser = ReturnType<typeof userToWire>;

export function userToWire(doc: Stored<UserDoc>) {
  const { password_hash, session_epoch, ...user } = withId(doc);
  return user;
}

export interface NewUser {
  phone: string;
  password: string;
  email?: string | null;
  first_name?: string;
  last_name?: string;
  locale?: Locale;
  role: Role;
  organization_id?: string | null;
}

/** Claims a login identity for a user, or answers 409 naming the field already taken. */
async function claimIdentity(store: AccountsStore, key: string, userId: string, field: string): Promise<void> {
  if (!(await claimOnce(store.identities, key, { user_id: userId }))) {
    throw errors.conflict(`This ${field} is already registered.`, { field });
  }
}

export function checkOrganisationForRole(role: Role, organizationId: string | null | undefined): void {
  const needsOrg = role === "agent" || role === "org_admin";
  if (needsOrg && !organizationId) {
    throw errors.validation([{ path: "body.organization_id", message: `is required for the role ${role}` }]);
  }
  if (!needsOrg && organizationId) {
    throw errors.validation([{ path: "body.organization_id", message: `must be empty for the role ${role}` }]);
  }
}

export async function createUser(store: AccountsStore, input: NewUser): Promise<Stored<UserDoc>> {
  const id = new Types.ObjectId();
  const claimed: string[] = [];
  try {
    await claimIdentity(store, phoneKey(input.phone), String(id), "phone");
    claimed.push(phoneKey(input.phone));
    if (input.email) {
      await claimIdentity(store, emailKey(input.email), String(id), "email");
      claimed.push(emailKey(input.email));
    }
    const user = await store.users.create({
      _id: id,
      phone: input.phone,
      email: input.email ?? null,
      first_name: input.first_name ?? "",
      last_name: input.last_name ?? "",
      locale: input.locale ?? "fr",
      role: input.role,
      organization_id: input.organization_id ?? null,
      password_hash: await hashPassword(input.password),
    });
    return user.toObject() as Stored<UserDoc>;
  } catch (err) {
    await deleteByIds(store.identities, claimed);
    throw err;
  }
}

export async function findUser(store: AccountsStore, id: string): Promise<HydratedDocument<UserDoc> | null> {
  return isObjectId(id) ? store.users.findById(id) : null;
}

export async function findByLogin(store: AccountsStore, key: string): Promise<HydratedDocument<UserDoc> | null> {
  const identity = await store.identities.findById(key).lean();
  return identity ? store.users.findById(identity.user_id) : null;
}

/** Applies changes, moving the e-mail identity when the e-mail changes. */
export async function applyUserChanges(
  store: AccountsStore,
  user: HydratedDocument<UserDoc>,
  changes: Partial<Omit<UserDoc, "created_at" | "updated_at" | "phone">> & { password?: string },
): Promise<Stored<UserDoc>> {
  const { password, ...fields } = changes;
  const oldEmail = user.email;
  const emailChanges = fields.email !== undefined && fields.email !== oldEmail;
  if (emailChanges && fields.email) await claimIdentity(store, emailKey(fields.email), String(user._id), "email");
  try {
    user.set(fields);
    if (password) {
      user.password_hash = await hashPassword(password);
      user.session_epoch = (user.session_epoch ?? 0) + 1;
    }
    await user.save();
  } catch (err) {
    if (emailChanges && fields.email) await store.identities.deleteOne({ _id: emailKey(fields.email) });
    throw err;
  }
  if (emailChanges && oldEmail) await store.identities.deleteOne({ _id: emailKey(oldEmail) });
  if (password) await revokeAllSessions(store, String(user._id));
  return user.toObject() as Stored<UserDoc>;
}

/** Every refresh token of the user, in every family: a changed password or a deleted account. */
async function revokeAllSessions(store: AccountsStore, userId: string): Promise<void> {
  await store.refreshTokens.updateMany({ user_id: userId, revoked_at: null }, { revoked_at: new Date() });
}

export async function deleteUser(store: AccountsStore, user: HydratedDocument<UserDoc>): Promise<void> {
  const id = String(user._id);
  await revokeAllSessions(store, id);
  await store.users.deleteOne({ _id: user._id });
  await store.identities.deleteMany({ user_id: id });
}

/** May `actor` see and manage `target`? Org admins manage the agents of their organisation. */
export function canManage(actor: AuthUser, target: UserDoc & { _id: unknown }): boolean {
  if (actor.id === String(target._id) || actor.role === "platform_admin") return true;
  return actor.role === "org_admin" && target.role === "agent" && target.organization_id === actor.organization_id;
}

/** Fields of `target` that `actor` may not change: only a platform admin moves roles and
 * organisations; nobody deactivates themselves, or sets their own password here (that is
 * PATCH /users/me, with the current one). */
export function fieldsOutOfReach(actor: AuthUser, target: { _id: unknown }, changes: Record<string, unknown>): string[] {
  const guarded = actor.role === "platform_admin" ? [] : ["role", "organization_id"];
  if (actor.id === String(target._id)) guarded.push("is_active", "password");
  return guarded.filter((field) => changes[field] !== undefined);
}
