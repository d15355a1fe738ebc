// Who sees an appointment: the citizen it is for, and staff of its organisation (or the
// platform admin). Anyone else is told it does not exist, as for every foreign record
// (mixins/api/authorize.ts): a 403 would confirm that someone holds an appointment there.
import { isStaffOf } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { AuthUser } from "../../mixins/api/meta.ts";

/** The appointment, when the user may see it; else 404, as if it were not there. */
export function visibleTo<A extends { user_id: string; organization_id: string }>(user: AuthUser, appointment: A | null): A {
  if (!appointment || !(appointment.user_id === user.id || isStaffOf(user, appointment.organization_id))) throw errors.notFound("Appointment");
  return appointment;
}
