// Who came: a citizen's visit is a ticket issued for their account in a queue on a UTC
// day, recorded once per queue, citizen and day by an insert under a unique _id
// (`analytics_visits_day_YYYY_MM_DD`, _id "<queue>:<user>"), so a replayed change or a
// second node records nothing more. The first day a citizen came to an organisation is
// claimed once too (`analytics_citizens`, _id "<organisation>:<user>"), and each visit
// keeps it: a visit is a return when the citizen had come on an earlier day. Tickets
// issued for nobody in particular (a kiosk without an account) are no one's visit.
import { Schema, type Connection } from "mongoose";
import { claimEach } from "../../mixins/db/claim.ts";
import { groupBy } from "../../mixins/group-by.ts";
import { mapLimited } from "../../mixins/db/limited.ts";
import { modelOf } from "../../mixins/db/models.ts";
import type { QueueChanged } from "../events.ts";
import { dayModel } from "./day-collections.ts";
import { dayOf } from "./rollup.ts";

export interface Visit {
  organization_id: string;
  branch_id: string | null;
  queue_id: string;
  user_id: string;
  day: string;
}

export interface VisitDoc extends Visit {
  _id: string;
  /** The first day this citizen came to the organisation. */
  first_day: string;
}

interface CitizenDoc {
  _id: string;
  first_day: string;
}

const visitSchema = new Schema<VisitDoc>(
  {
    _id: String,
    organization_id: { type: String, required: true },
    branch_id: { type: String, default: null },
    queue_id: { type: String, required: true },
    user_id: { type: String, required: true },
    day: { type: String, required: true },
    first_day: { type: String, required: true },
  },
  { versionKey: false },
);

const citizenSchema = new Schema<CitizenDoc>({ _id: String, first_day: { type: String, required: true } }, { collection: "analytics_citizens", versionKey: false });

export const visitsOfDay = (db: Connection, day: string) => dayModel(db, "analytics_visits_day", visitSchema, day);
const citizensOf = (db: Connection) => modelOf(db, "AnalyticsCitizen", citizenSchema);

/** The visits a change holds: its tickets issued for a citizen's account. Pure. */
export function visitsIn(change: QueueChanged): Visit[] {
  return change.events
    .filter((e) => e.type === "ticket.issued" && typeof e.ticket?.user_id === "string")
    .map((e) => ({
      organization_id: change.organization_id, branch_id: change.branch_id, queue_id: change.queue_id,
      user_id: e.ticket!.user_id!, day: dayOf(typeof e.at === "number" ? e.at : change.sent_at),
    }));
}

/** Citizens' first days remembered per node, at most (then forgotten all at once and read again). */
const FIRST_DAYS_REMEMBERED = 100_000;
/** First days read back at once, for citizens claimed before (by another node, or before a restart). */
const FIRST_DAY_READS_IN_FLIGHT = 8;

/** Records visits once each, in batches (rollup-writer.ts writes them with the rollups: one insert per day
 * instead of one per ticket); remembers today's and yesterday's it recorded, to skip them without a
 * write, and the first days it learned (claimed once, never changed), to skip their claim and read. */
export class VisitRecorder {
  private recorded = new Map<string, Set<string>>();
  private firstDays = new Map<string, string>();

  constructor(private readonly db: Connection) {}

  async record(visits: readonly Visit[]): Promise<void> {
    const fresh = new Map<string, Visit>();
    for (const visit of visits) if (!this.recordedOn(visit.day).has(visitId(visit))) fresh.set(`${visit.day}/${visitId(visit)}`, visit);
    if (!fresh.size) return;
    const firstDays = await this.firstDaysOf([...fresh.values()]);
    const docs = [...fresh.values()].map((visit): VisitDoc => {
      const first = firstDays.get(citizenId(visit))!;
      return { ...visit, _id: visitId(visit), first_day: first < visit.day ? first : visit.day };
    });
    await Promise.all([...groupBy(docs, (doc) => doc.day)].map(([day, ofDay]) => claimEach(visitsOfDay(this.db, day), ofDay)));
    for (const visit of fresh.values()) this.recordedOn(visit.day).add(visitId(visit));
  }

  /** The day each citizen first came to the organisation: claimed now with the earliest of these visits, unless one was claimed before. */
  private async firstDaysOf(visits: readonly Visit[]): Promise<Map<string, string>> {
    const firstDays = new Map<string, string>();
    const earliest = new Map<string, string>();
    for (const visit of visits) {
      const id = citizenId(visit);
      const known = this.firstDays.get(id);
      if (known !== undefined) firstDays.set(id, known);
      else if (!earliest.has(id) || visit.day < earliest.get(id)!) earliest.set(id, visit.day);
    }
    const claims = [...earliest].map(([_id, first_day]) => ({ _id, first_day }));
    const taken = claims.length ? await claimEach(citizensOf(this.db), claims) : [];
    const read = await mapLimited(taken, FIRST_DAY_READS_IN_FLIGHT, async ({ _id, first_day }) => (await citizensOf(this.db).findById(_id).lean<CitizenDoc>())?.first_day ?? first_day);
    taken.forEach(({ _id }, i) => earliest.set(_id, read[i]!));
    if (this.firstDays.size + earliest.size >= FIRST_DAYS_REMEMBERED) this.firstDays.clear();
    for (const [id, day] of earliest) {
      this.firstDays.set(id, day);
      firstDays.set(id, day);
    }
    return firstDays;
  }

  private recordedOn(day: string): Set<string> {
    let ofDay = this.recorded.get(day);
    if (!ofDay) {
      ofDay = new Set();
      this.recorded.set(day, ofDay);
      // Changes come in time order: only the latest two days are worth remembering.
      for (const kept of [...this.recorded.keys()].sort().slice(0, -2)) this.recorded.delete(kept);
    }
    return ofDay;
  }
}

const visitId = (visit: Visit) => `${visit.queue_id}:${visit.user_id}`;
const citizenId = (visit: Visit) => `${visit.organization_id}:${visit.user_id}`;


/** A day's visits matching a filter (a scan of that day's visits only). */
export const visitsOn = (db: Connection, day: string, filter: Record<string, string>) => visitsOfDay(db, day).find(filter).lean<VisitDoc[]>();

/** Citizens over a period from its visits: how many came, for the first time, and back after an earlier day. */
export function citizenFigures(visits: readonly VisitDoc[], from: string, to: string) {
  const citizens = new Map<string, { first: boolean; returned: boolean }>();
  for (const v of visits) {
    const c = citizens.get(v.user_id) ?? { first: false, returned: false };
    c.first ||= v.first_day >= from && v.first_day <= to;
    c.returned ||= v.first_day < v.day;
    citizens.set(v.user_id, c);
  }
  const all = [...citizens.values()];
  const returning = all.filter((c) => c.returned).length;
  return { count: all.length, new: all.filter((c) => c.first).length, returning, returning_rate: all.length ? returning / all.length : null, visits: visits.length };
}
