// Who came: a citizen's visit is a ticket issued for their account in a queue on a UTC
// day, recorded once per queue, citizen and day by an insert under a unique _id
// (`analytics_visits_day_YYYY_MM_DD`, _id "<queue>:<user>"), so a replayed change or a
// second node records nothing more. The first day a citizen came to an organisation is
// claimed once too (`analytics_citizens`, _id "<organisation>:<user>"), and each visit
// keeps it: a visit is a return when the citizen had come on an earlier day. Tickets
// issued for nobody in particular (a kiosk without an account) are no one's visit.
import { Schema, type Connection } from "mongoose";
import { claimOnce } from "../../mixins/db/claim.ts";
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

/** Records visits once each; remembers today's and yesterday's it recorded, to skip them without a
 * write, and the first days it learned (claimed once, never changed), to skip their claim and read. */
export class VisitRecorder {
  private recorded = new Map<string, Set<string>>();
  private firstDays = new Map<string, string>();

  constructor(private readonly db: Connection) {}

  async record(change: QueueChanged): Promise<void> {
    for (const visit of visitsIn(change)) {
      const id = `${visit.queue_id}:${visit.user_id}`;
      const ofDay = this.recordedOn(visit.day);
      if (ofDay.has(id)) continue;
      await claimOnce(visitsOfDay(this.db, visit.day), id, { ...visit, first_day: await this.firstDay(visit) });
      ofDay.add(id);
    }
  }

  /** The day the citizen first came to the organisation: this one, unless one was claimed before. */
  private async firstDay(visit: Visit): Promise<string> {
    const id = `${visit.organization_id}:${visit.user_id}`;
    const first = this.firstDays.get(id) ?? (await this.claimFirstDay(id, visit.day));
    if (this.firstDays.size >= FIRST_DAYS_REMEMBERED) this.firstDays.clear();
    this.firstDays.set(id, first);
    return first < visit.day ? first : visit.day;
  }

  private async claimFirstDay(id: string, day: string): Promise<string> {
    if (await claimOnce(citizensOf(this.db), id, { first_day: day })) return day;
    return (await citizensOf(this.db).findById(id).lean<CitizenDoc>())?.first_day ?? day;
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
