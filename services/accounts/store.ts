// The accounts service's collections. Uniqueness of phone and e-mail is kept by the
// `login_identities` collection (its _id is "phone:+221…" / "email:…"), which works on
// MongoDB and FerretDB alike without sparse or partial indexes.
import { Schema, type Connection, type Model } from "mongoose";
import { claimSchema, type ClaimDoc } from "../../mixins/db/claim.ts";
import { ensureIndexes, modelOf } from "../../mixins/db/models.ts";
import { ROLES, type Role } from "../../mixins/api/meta.ts";

export const LOCALES = ["fr", "en", "wo"] as const;
export type Locale = (typeof LOCALES)[number];

export interface UserDoc {
  phone: string;
  email: string | null;
  first_name: string;
  last_name: string;
  locale: Locale;
  role: Role;
  organization_id: string | null;
  is_active: boolean;
  password_hash: string;
  /** Counts password changes; a token carries the count it was issued under (`sep`), and
   * one issued under an earlier count is refused. Exact, where an issue time in whole
   * seconds would let a token of the same second through. */
  session_epoch: number;
  created_at: Date;
  updated_at: Date;
}

export interface IdentityDoc {
  _id: string;
  user_id: string;
}

export interface RefreshTokenDoc {
  _id: string; // the token's jti
  family: string;
  user_id: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

export interface RefreshUseDoc {
  _id: string; // the spent refresh token's jti
  expires_at: Date;
}

export interface RevokedAccessDoc {
  _id: string; // the access token's jti
  expires_at: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    phone: { type: String, required: true },
    email: { type: String, default: null },
    first_name: { type: String, default: "" },
    last_name: { type: String, default: "" },
    locale: { type: String, enum: LOCALES, default: "fr" },
    role: { type: String, enum: ROLES, required: true },
    organization_id: { type: String, default: null, index: true },
    is_active: { type: Boolean, default: true },
    password_hash: { type: String, required: true },
    session_epoch: { type: Number, default: 0 },
  },
  { collection: "users", timestamps: { createdAt: "created_at", updatedAt: "updated_at" } },
);

const identitySchema = new Schema<IdentityDoc>(
  { _id: String, user_id: { type: String, required: true } },
  { collection: "login_identities" },
);

const refreshTokenSchema = new Schema<RefreshTokenDoc>(
  {
    _id: String,
    family: { type: String, required: true, index: true },
    user_id: { type: String, required: true, index: true },
    expires_at: { type: Date, required: true },
    used_at: { type: Date, default: null },
    revoked_at: { type: Date, default: null },
  },
  { collection: "refresh_tokens" },
);

const refreshUseSchema = new Schema<RefreshUseDoc>(
  { _id: String, expires_at: { type: Date, required: true } },
  { collection: "refresh_token_uses" },
);

const revokedAccessSchema = new Schema<RevokedAccessDoc>(
  { _id: String, expires_at: { type: Date, required: true } },
  { collection: "revoked_access_tokens" },
);

export interface AccountsStore {
  users: Model<UserDoc>;
  identities: Model<IdentityDoc>;
  refreshTokens: Model<RefreshTokenDoc>;
  refreshUses: Model<RefreshUseDoc>;
  revokedAccess: Model<RevokedAccessDoc>;
  /** Failed sign-ins, one claim each (login-throttle.ts). */
  loginFailures: Model<ClaimDoc>;
}

export function accountsStore(db: Connection): AccountsStore {
  const model = <T>(name: string, schema: Schema<T>) => modelOf(db, name, schema);
  return {
    users: model("User", userSchema),
    identities: model("LoginIdentity", identitySchema),
    refreshTokens: model("RefreshToken", refreshTokenSchema),
    refreshUses: model("RefreshTokenUse", refreshUseSchema),
    revokedAccess: model("RevokedAccessToken", revokedAccessSchema),
    loginFailures: model("LoginFailure", claimSchema("login_failures")),
  };
}

export const ensureAccountsIndexes = (store: AccountsStore) => ensureIndexes({ ...store });

export const phoneKey = (phone: string) => `phone:${phone}`;
export const emailKey = (email: string) => `email:${email.toLowerCase()}`;
