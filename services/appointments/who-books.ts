// Who an appointment is for, by who books it: a citizen books for themselves; staff of the
// slot's organisation book for a citizen they name (at the desk, on the phone); anyone
// else — another organisation's staff, a citizen naming someone else — books nothing.
import { isStaffOf } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { AuthUser } from "../../mixins/api/meta.ts";

export function appointmentHolder(user: AuthUser, slot: { organization_id: string }, namedUserId: string | undefined): string {
  const staff = isStaffOf(user, slot.organization_id);
  if (!staff && (user.role !== "citizen" || (namedUserId !== undefined && namedUserId !== user.id))) throw errors.forbidden("book this appointment");
  if (staff && namedUserId === undefined) throw errors.validation([{ path: "body.user_id", message: "staff book for a citizen: give their user_id" }]);
  return namedUserId ?? user.id;
}
