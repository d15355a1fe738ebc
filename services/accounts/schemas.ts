// Request shapes of the accounts service: they validate, type the handlers and feed OpenAPI.
import { z } from "zod";
import { listQuery } from "../../mixins/api/pagination.ts";
import { IdParams, ObjectIdString } from "../../mixins/api/schemas.ts";
import { restInput } from "../../mixins/api/validated.ts";
import { ROLES } from "../../mixins/api/meta.ts";
import { PasswordPolicy } from "./passwords.ts";
import { LOCALES } from "./store.ts";

const Phone = z.string().trim().min(3).max(32);
const Email = z.email().max(254).transform((e) => e.toLowerCase());
const Name = z.string().trim().max(100);
const Locale = z.enum(LOCALES);
const Token = z.string().min(1).max(4096);

/** Who a new account is: what a citizen gives to register, and an admin to create a user. */
const NewAccount = z.object({
  phone: Phone,
  password: PasswordPolicy,
  email: Email.optional(),
  first_name: Name.optional(),
  last_name: Name.optional(),
  locale: Locale.optional(),
});

export const Register = restInput({ body: NewAccount.strict() });

export const Login = restInput({
  body: z
    .object({ phone: Phone.optional(), email: Email.optional(), password: z.string().min(1).max(128) })
    .strict()
    .refine((b) => Boolean(b.phone) !== Boolean(b.email), { message: "give either phone or email", path: ["phone"] }),
});

export const Refresh = restInput({ body: z.object({ refresh: Token }).strict() });
export const Logout = Refresh;

export const Me = restInput({});

/** What a user may change of themselves, and an admin of them (besides role and such). */
const ProfileChange = z.object({
  first_name: Name.optional(),
  last_name: Name.optional(),
  email: Email.nullable().optional(),
  locale: Locale.optional(),
  password: PasswordPolicy.optional(),
});

export const UpdateMe = restInput({
  body: ProfileChange.extend({ current_password: z.string().max(128).optional() })
    .strict()
    .refine((b) => !b.password || b.current_password, {
      message: "is required to change the password",
      path: ["current_password"],
    }),
});

export const ListUsers = restInput({
  query: listQuery(["created_at", "first_name", "last_name", "phone"], {
    role: z.enum(ROLES).optional(),
    organization_id: ObjectIdString.optional(),
  }),
});

export const CreateUser = restInput({
  body: NewAccount.extend({ role: z.enum(ROLES), organization_id: ObjectIdString.nullable().optional() }).strict(),
});

export const GetUser = restInput({ params: IdParams });

export const UpdateUser = restInput({
  params: IdParams,
  // An admin's password reset ends every session of the user.
  body: ProfileChange.extend({
    is_active: z.boolean().optional(),
    role: z.enum(ROLES).optional(),
    organization_id: ObjectIdString.nullable().optional(),
  }).strict(),
});

export const DeleteUser = GetUser;

/** Internal: the gateway resolves a bearer token into the caller. */
export const Authenticate = z.object({ token: Token });

export type RegisterBody = z.output<typeof Register>["body"];
export type CreateUserBody = z.output<typeof CreateUser>["body"];
export type UpdateUserBody = z.output<typeof UpdateUser>["body"];
export type UpdateMeBody = z.output<typeof UpdateMe>["body"];

/** Internal: where a user can be reached (the notifications service asks). */
export const ContactOf = z.object({ id: z.string().max(64) });

/** Internal: how many staff (agents and org admins), in one organisation or all. */
export const CountStaff = z.object({ organization_id: z.string().optional() });

export const CreateDisplayToken = restInput({
  body: z.object({ branch_id: ObjectIdString, name: Name.min(1) }).strict(),
});

export const ListDisplayTokens = restInput({
  query: listQuery(["created_at", "name", "expires_at"], {
    branch_id: ObjectIdString.optional(),
    organization_id: ObjectIdString.optional(),
  }),
});

export const RevokeDisplayToken = restInput({ params: IdParams });

/** Internal: the live service resolves a screen's display token. */
export const AuthenticateDisplay = Authenticate;
