// Who may open which live channel. A queue's channel shows its tickets and counters: the
// organisation's staff, a platform admin, and the screens of the queue's branch may see
// it; citizens follow their own tickets on their notification channel, which only they
// may open; a user's locations are theirs, and the staff's of an office they chose to
// share their arrival with.
import { isPlatformAdmin, isStaffOf } from "../../mixins/api/authorize.ts";
import type { AuthUser } from "../../mixins/api/meta.ts";
import type { DisplayViewer } from "../accounts/display-tokens.ts";
import type { LiveSession } from "./session-sockets.ts";

export type Viewer = { kind: "user"; user: AuthUser } | { kind: "display"; display: DisplayViewer };

export interface QueueOwner {
  organization_id: string;
  branch_id: string | null;
}

export function mayWatchQueue(viewer: Viewer, queue: QueueOwner): boolean {
  if (viewer.kind === "user") return isStaffOf(viewer.user, queue.organization_id);
  const { organization_id, branch_id } = viewer.display;
  return organization_id === queue.organization_id && queue.branch_id !== null && branch_id === queue.branch_id;
}

/** A user's socket rests on their access token and on the user as they are; a screen's on its token. */
export function sessionOfViewer(viewer: Viewer): LiveSession {
  if (viewer.kind === "display") return { keys: [`jti:${viewer.display.id}`], expiresAt: null };
  return { keys: [`jti:${viewer.user.jti}`, `user:${viewer.user.id}`], expiresAt: viewer.user.exp * 1000 };
}

export function mayReadNotifications(viewer: Viewer, userId: string): boolean {
  return viewer.kind === "user" && viewer.user.id === userId;
}

/** Whose locations a viewer follows on /ws/location/updates/{userId}: their own, or, for an
 * organisation's staff, those the user shares with it (locations decides that, and what
 * they see). Nobody else: not a screen, not a platform admin. */
export type LocationAudience = { kind: "self" } | { kind: "staff"; organization_id: string };

export function locationAudience(viewer: Viewer, userId: string): LocationAudience | null {
  if (viewer.kind !== "user") return null;
  const { id, role, organization_id } = viewer.user;
  if (id === userId) return { kind: "self" };
  return (role === "agent" || role === "org_admin") && organization_id ? { kind: "staff", organization_id } : null;
}

/** An organisation's monitor is read as its figures are (services/analytics/access.ts): its
 * staff and the platform admin; another organisation's staff are told it does not exist;
 * citizens and screens are refused. */
export function organizationMonitorAccess(viewer: Viewer, organizationId: string): "allowed" | "forbidden" | "unknown" {
  if (viewer.kind !== "user" || viewer.user.role === "citizen") return "forbidden";
  return isStaffOf(viewer.user, organizationId) ? "allowed" : "unknown";
}

/** The platform's dashboard shows every organisation: platform admins only. */
export const mayWatchPlatform = (viewer: Viewer): boolean => viewer.kind === "user" && isPlatformAdmin(viewer.user);
