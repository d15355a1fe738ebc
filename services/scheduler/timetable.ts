// One-off calls by the second they are due, stored in the one shape FerretDB both finds
// fast and writes atomically: documents inserted and read by _id. A call due in second S
// (epoch seconds) is the document `S#n`, n the first free number from 0, so the calls of
// one second are read by asking for S#0, S#1, … until a batch of them is missing: no scan
// of the pending calls, however many there are (FerretDB scans the whole collection for any
// other filter, which is what made one Agenda job per reminder too slow: measured, 1,000
// due a minute took seconds per lock once a few hundred were pending).
//
// A key is held by `call_keys` (_id = the key), so scheduling a key again answers the
// call already entered. The call is entered before its key is claimed, so a crash between
// the two loses nothing; an entry that lost its key to a concurrent one is skipped when
// due (`isHolder`).
import { Schema, type Connection } from "mongoose";
import { claimFirstFree, claimOnce } from "../../mixins/db/claim.ts";
import { modelOf } from "../../mixins/db/models.ts";

export interface TimetableCall {
  /** `<due second>#<n>` */
  _id: string;
  key: string;
  action: string;
  params: Record<string, unknown>;
  due_at: Date;
  /** 0 for the first try; retries are entered again with attempt + 1. */
  attempt: number;
  /** The first try's id: the one its key names. Retries carry it on. */
  origin: string | null;
}

export type NewCall = Omit<TimetableCall, "_id">;

interface CallKeyDoc {
  _id: string;
  call_id: string;
  due_at: Date;
}

const callSchema = new Schema<TimetableCall>(
  {
    _id: String,
    key: { type: String, required: true },
    action: { type: String, required: true },
    params: { type: Schema.Types.Mixed, default: {} },
    due_at: { type: Date, required: true },
    attempt: { type: Number, required: true },
    origin: { type: String, default: null },
  },
  { collection: "scheduled_calls", versionKey: false, minimize: false },
);

const callKeySchema = new Schema<CallKeyDoc>(
  { _id: String, call_id: { type: String, required: true }, due_at: { type: Date, required: true } },
  { collection: "call_keys", versionKey: false },
);

export const secondOf = (at: Date | number) => Math.floor(new Date(at).getTime() / 1000);

/** The hint is only a starting point: a wrong one costs a refused insert, never a lost call. */
const HINTS_KEPT = 10_000;
/** Numbers of one second read in parallel; a hole narrower than this is read past. */
const READ_BATCH = 8;

export class Timetable {
  private readonly calls;
  private readonly keys;
  /** Next number likely free, by second: saves the refused inserts of a busy second. */
  private readonly nextFree = new Map<number, number>();

  constructor(db: Connection) {
    this.calls = modelOf(db, "SchedulerCall", callSchema);
    this.keys = modelOf(db, "SchedulerCallKey", callKeySchema);
  }

  /** Enters a call under the first free number of its second; answers its id. */
  async enter(call: NewCall): Promise<string> {
    const second = secondOf(call.due_at);
    if (this.nextFree.size > HINTS_KEPT) this.nextFree.clear();
    // Taken before the insert: calls entered together for one second (a burst of
    // notifications, each watched over by a retry a minute on) start from numbers of their
    // own, instead of all racing for the same one and retrying up the line (n² inserts).
    const from = this.nextFree.get(second) ?? 0;
    this.nextFree.set(second, from + 1);
    let n: number;
    try {
      n = (await claimFirstFree(this.calls, (i) => `${second}#${i}`, call as Partial<TimetableCall>, from))!;
    } catch (err) {
      // The number stays free: the next call of this second fills it, so no gap is left.
      this.nextFree.set(second, Math.min(from, this.nextFree.get(second) ?? from));
      throw err;
    }
    if (n >= (this.nextFree.get(second) ?? 0)) this.nextFree.set(second, n + 1);
    return `${second}#${n}`;
  }

  heldKey(key: string): Promise<CallKeyDoc | null> {
    return this.keys.findById(key).lean<CallKeyDoc>();
  }

  /** Claims the key for this entry; null if it was ours, else the entry that holds it. */
  async holderOf(key: string, callId: string, dueAt: Date): Promise<CallKeyDoc | null> {
    if (await claimOnce(this.keys, key, { call_id: callId, due_at: dueAt })) return null;
    return this.heldKey(key);
  }

  /** false for an entry whose key another entry holds (it lost a race to schedule). */
  async isHolder(call: TimetableCall): Promise<boolean> {
    const held = await this.heldKey(call.key);
    return !held || held.call_id === (call.origin ?? call._id);
  }

  /**
   * Every call entered for one second, in the order entered: read by _id, a few numbers at
   * a time, until a whole batch is missing. A batch, not the first missing number: a number
   * taken by a call whose insert is still in flight, or failed, leaves a hole for a moment.
   */
  async callsAt(second: number): Promise<TimetableCall[]> {
    const found: TimetableCall[] = [];
    for (let from = 0; ; from += READ_BATCH) {
      const batch = await Promise.all(Array.from({ length: READ_BATCH }, (_, i) => this.calls.findById(`${second}#${from + i}`).lean<TimetableCall>()));
      const present = batch.filter((call): call is TimetableCall => call !== null);
      if (!present.length) return found;
      found.push(...present);
    }
  }
}
