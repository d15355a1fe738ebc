// Watching the shared tickets for "leave now" (leave-now.ts), and telling each citizen
// once. A check runs when the citizen records a point, when the queue of a ticket this
// node knows to be shared changes (its waits move then), and, on every node, every
// LEAVE_NOW_CHECK_SECONDS (a trip changes with the hour and the traffic). The
// notice is claimed by inserting the ticket's id into location_leave_now, so a second
// check, a replay or another node sends nothing more; a notice that could not be sent is
// let go and sent at the next check. Time is read from the injected clock only.
import { claimOnce } from "../../mixins/db/claim.ts";
import type { ArrivalShare } from "./arrival-shares.ts";
import type { Point } from "./geo.ts";
import { leaveNowDue } from "./leave-now.ts";
import type { Mode } from "./speed-profile.ts";
import type { LocationsStore, UserPointsDoc } from "./store.ts";
import type { TicketNow } from "./ticket-status.ts";
import { retained } from "./user-locations.ts";

/** A claim is kept past any ticket's day; after that a purge may drop it. */
const CLAIM_KEPT_MS = 2 * 24 * 3600_000;

export interface LeaveNotice {
  user_id: string;
  event: "ticket.leave_now";
  data: { number: string; branch: string; travel_minutes: number; wait_minutes: number };
  idempotency_key: string;
}

export interface LeaveNowDeps {
  store: LocationsStore;
  now: () => Date;
  marginMs: number;
  retentionMs: number;
  ticketNow(share: ArrivalShare): Promise<TicketNow | null>;
  branchAt(branchId: string): Promise<(Point & { name: string }) | null>;
  travelS(from: Point, to: Point, mode: Mode, at: Date): number;
  notify(notice: LeaveNotice): Promise<unknown>;
}

const minutes = (ms: number) => Math.max(1, Math.round(ms / 60_000));

export class LeaveNowWatch {
  /** The users this node last saw sharing a ticket of each queue (at a check or a sweep). */
  private sharers = new Map<string, Set<string>>();

  constructor(private readonly deps: LeaveNowDeps) {}

  /** Checks the users sharing a ticket of a queue that has just changed. */
  async queueChanged(queueId: string): Promise<string[]> {
    const users = [...(this.sharers.get(queueId) ?? [])];
    return (await Promise.all(users.map((userId) => this.check(userId)))).flat();
  }

  /** Checks one user's shares; answers the tickets told to leave now. */
  async check(userId: string): Promise<string[]> {
    const doc = await this.deps.store.userPoints.findById(userId).lean<UserPointsDoc>();
    return doc ? this.checkDoc(doc) : [];
  }

  /**
   * Checks every user sharing their way, each apart from the others, and drops old claims.
   * Both collections stay small: points go with their retention, claims after two days.
   */
  async sweep(): Promise<{ told: string[]; failed: number }> {
    const { store, now } = this.deps;
    await store.leaveNowSent.deleteMany({ expires_at: { $lte: now() } });
    const docs = (await store.userPoints.find({}).lean<UserPointsDoc[]>()).filter((doc) => doc.shares?.length);
    this.sharers = new Map();
    const checked = await Promise.allSettled(docs.map((doc) => this.checkDoc(doc)));
    return {
      told: checked.flatMap((c) => (c.status === "fulfilled" ? c.value : [])),
      failed: checked.filter((c) => c.status === "rejected").length,
    };
  }

  private async checkDoc(doc: UserPointsDoc): Promise<string[]> {
    for (const share of doc.shares ?? []) {
      const users = this.sharers.get(share.queue_id) ?? new Set<string>();
      this.sharers.set(share.queue_id, users.add(doc._id));
    }
    const [latest] = retained(doc.points, this.deps.now(), this.deps.retentionMs);
    if (!latest) return [];
    const told = await Promise.all((doc.shares ?? []).map((share) => this.checkShare(doc._id, latest, share)));
    return (doc.shares ?? []).filter((_, i) => told[i]).map((s) => s.ticket_id);
  }

  private async checkShare(userId: string, from: Point, share: ArrivalShare): Promise<boolean> {
    const { store, now, marginMs } = this.deps;
    if (await store.leaveNowSent.exists({ _id: share.ticket_id })) return false;
    const [ticket, branch] = await Promise.all([this.deps.ticketNow(share), this.deps.branchAt(share.branch_id)]);
    if (!ticket || !branch) return false;
    const at = now();
    const travelS = this.deps.travelS(from, branch, share.mode, at);
    if (!leaveNowDue(ticket, travelS, marginMs)) return false;
    if (!(await claimOnce(store.leaveNowSent, share.ticket_id, { expires_at: new Date(at.getTime() + CLAIM_KEPT_MS) }))) return false;
    try {
      await this.deps.notify({
        user_id: userId,
        event: "ticket.leave_now",
        data: { number: ticket.number, branch: branch.name, travel_minutes: minutes(travelS * 1000), wait_minutes: minutes(ticket.estimated_wait_ms!) },
        idempotency_key: `leave_now:${share.ticket_id}`,
      });
      return true;
    } catch (err) {
      await store.leaveNowSent.deleteOne({ _id: share.ticket_id });
      throw err;
    }
  }
}
