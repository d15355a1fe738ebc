// How analytics learns of bookings and of how appointments ended, with nothing lost to an
// analytics node that was down or a call that failed: each announcement is first kept in
// `appointment_announcements` (_id "<appointment>:booked" or "<appointment>:ended",
// inserted once), then handed to analytics by a call; the row is deleted once analytics
// has filed it. What is left (no analytics node was up, the call failed, this node died in
// between) is handed again by the appointments sweep. The collection holds only what
// analytics has not filed yet, so reading it grows with that backlog, not with history;
// analytics files each once (an insert under the appointment's id), so one handed twice
// counts once. A node that dies between an appointment's write and its announcement's
// insert loses that one announcement.
import type { LoggerInstance } from "moleculer";
import { Schema, type Connection } from "mongoose";
import { claimOnce } from "../../mixins/db/claim.ts";
import { modelOf } from "../../mixins/db/models.ts";
import type { Announced, AnnouncementKind } from "../events.ts";

interface AnnouncementDoc {
  _id: string;
  kind: AnnouncementKind;
  payload: Announced<AnnouncementKind>;
  created_at: Date;
}

const announcementSchema = new Schema<AnnouncementDoc>(
  { _id: String, kind: { type: String, required: true }, payload: { type: Schema.Types.Mixed, required: true }, created_at: { type: Date, required: true } },
  { collection: "appointment_announcements", versionKey: false },
);

/** The analytics action that files each kind. */
export const ANNOUNCEMENT_ACTIONS: Record<AnnouncementKind, string> = { booked: "analytics.recordBooking", ended: "analytics.recordAppointmentEnd" };

/** Announcements handed again per sweep, at most. */
const REDELIVERY_BATCH = 500;

export class Announcer {
  private readonly announcements;

  constructor(
    db: Connection,
    private readonly call: (action: string, params: object) => Promise<unknown>,
    private readonly logger: LoggerInstance,
  ) {
    this.announcements = modelOf(db, "AppointmentAnnouncement", announcementSchema);
  }

  /** Keeps the announcement, then hands it to analytics behind the caller (never failing it: the write it follows is done). */
  async announce<K extends AnnouncementKind>(kind: K, payload: Announced<K>): Promise<void> {
    const doc: AnnouncementDoc = { _id: `${payload.appointment_id}:${kind}`, kind, payload, created_at: new Date() };
    try {
      await claimOnce(this.announcements, doc._id, doc);
    } catch (err) {
      this.logger.warn({ err, announcement: doc._id }, "appointments: an announcement was not kept; analytics may miss it");
    }
    void this.deliver(doc);
  }

  /** Hands analytics what it has not filed yet; answers how many it took. */
  async redeliver(): Promise<number> {
    const left = await this.announcements.find().limit(REDELIVERY_BATCH).lean<AnnouncementDoc[]>();
    let delivered = 0;
    for (const doc of left) if (await this.deliver(doc)) delivered++;
    return delivered;
  }

  private async deliver(doc: AnnouncementDoc): Promise<boolean> {
    try {
      await this.call(ANNOUNCEMENT_ACTIONS[doc.kind], doc.payload);
      await this.announcements.deleteOne({ _id: doc._id });
      return true;
    } catch (err) {
      this.logger.info({ err: (err as Error).message, announcement: doc._id }, "appointments: analytics did not take an announcement; the sweep hands it again");
      return false;
    }
  }
}
