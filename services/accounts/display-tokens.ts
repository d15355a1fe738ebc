// Display tokens: what an office TV screen signs in with. One per screen, bound to a
// branch, read-only (live queue channels of that branch only), long-lived because nobody
// types a password on a TV. Each is stored under its jti, so deleting the record revokes
// the token at once even though the JWT itself has not expired.
import { Schema, type Connection, type Model } from "mongoose";
import type { Config } from "../../config/index.ts";
import { errors } from "../../mixins/api/errors.ts";
import { modelOf } from "../../mixins/db/models.ts";
import type { Stored } from "../../mixins/db/wire.ts";
import type { SessionCache } from "./session-cache.ts";
import { verifyDisplay } from "./tokens.ts";

type JwtConfig = Config["jwt"];

export interface DisplayTokenDoc {
  _id: string; // the token's jti
  organization_id: string;
  branch_id: string;
  name: string;
  created_by: string;
  created_at: Date;
  expires_at: Date;
}

/** Who is behind a display token, for the live channels' authorisation. */
export interface DisplayViewer {
  id: string;
  organization_id: string;
  branch_id: string;
}

const displayTokenSchema = new Schema<DisplayTokenDoc>(
  {
    _id: String,
    organization_id: { type: String, required: true, index: true },
    branch_id: { type: String, required: true, index: true },
    name: { type: String, required: true },
    created_by: { type: String, required: true },
    created_at: { type: Date, required: true },
    expires_at: { type: Date, required: true },
  },
  { collection: "display_tokens" },
);

export const displayTokens = (db: Connection): Model<DisplayTokenDoc> => modelOf(db, "DisplayToken", displayTokenSchema);

export function displayTokenToWire(doc: Stored<DisplayTokenDoc>) {
  const { _id, __v, created_by, ...rest } = doc;
  return { id: String(_id), ...rest };
}

/** The screen behind a token. A token known here (see session-cache.ts) is not read again:
 * when a live node restarts, every screen of it comes back within seconds. */
export async function authenticateDisplay(
  model: Model<DisplayTokenDoc>,
  jwt: JwtConfig,
  token: string,
  cache: SessionCache<DisplayViewer>,
): Promise<DisplayViewer> {
  const claims = verifyDisplay(jwt, token);
  const known = cache.get(claims.jti);
  if (known) return known;
  const doc = await model.findById(claims.jti).lean();
  if (!doc) throw errors.tokenInvalid("this display token was revoked");
  const screen = { id: doc._id, organization_id: doc.organization_id, branch_id: doc.branch_id };
  cache.remember(claims.jti, screen);
  return screen;
}

export async function purgeExpiredDisplayTokens(model: Model<DisplayTokenDoc>, now = new Date()): Promise<void> {
  await model.deleteMany({ expires_at: { $lt: now } });
}
