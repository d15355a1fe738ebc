// Which open tickets have an SMS follow-up (sms-follow-ups.ts), known to this node without a
// read per ticket. Every call and every new near place of a ticket without an account asked
// the database whether its citizen gave a number, and every end deleted a follow-up that
// was almost never there: in the call-next loop (kiosk tickets, none with a number) about
// 1.5 database operations per command, for nothing (docs/bench-runs/2026-12-02-sms-follow-ups.md).
// So each node keeps the ids of the tickets that have one:
// - the node that registers a follow-up adds it at once and tells the others
//   (`notifications.sms_follow_up.added`);
// - every 10 s (FOLLOW_UPS_RELOAD_MS) and at start, the ids are read again from the collection, which
//   holds only open tickets that gave a number (a row is deleted when its ticket ends), so
//   a node that missed the broadcast learns of the follow-up within that interval.
// What a node does not know of, it neither texts nor deletes; the node that registered the
// follow-up knows of it from the start.
import type { Model } from "mongoose";
import type { SmsFollowUpDoc } from "./sms-follow-ups.ts";

export class KnownFollowUps {
  private ids = new Set<string>();
  /** Changes made while a reload reads, applied on top of what it read. */
  private during: { added: Set<string>; removed: Set<string> } | null = null;

  constructor(private readonly followUps: Model<SmsFollowUpDoc>) {}

  has(ticketId: string): boolean {
    return this.ids.has(ticketId);
  }

  add(ticketId: string): void {
    this.ids.add(ticketId);
    this.during?.added.add(ticketId);
    this.during?.removed.delete(ticketId);
  }

  remove(ticketId: string): void {
    this.ids.delete(ticketId);
    this.during?.removed.add(ticketId);
    this.during?.added.delete(ticketId);
  }

  /** Reads the ids again from the collection (only open tickets' follow-ups are there). */
  async reload(): Promise<void> {
    if (this.during) return; // one at a time
    const during = (this.during = { added: new Set<string>(), removed: new Set<string>() });
    try {
      const rows = await this.followUps.find({}, { _id: 1 }).lean<Array<{ _id: string }>>();
      const ids = new Set(rows.map((r) => r._id));
      for (const id of during.added) ids.add(id);
      for (const id of during.removed) ids.delete(id);
      this.ids = ids;
    } finally {
      this.during = null;
    }
  }
}
