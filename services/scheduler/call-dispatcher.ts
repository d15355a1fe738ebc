// One-off calls (`call:<service.action>` schedules): entered in the timetable by the
// second they are due, and made by one Agenda job per minute that has any. That job reads
// each second's calls just before the second starts and makes each at its due time,
// through runCall's claim, so a call is made once however many nodes run the same minute
// (FerretDB cannot make Agenda's lock exclusive). A last pass over the minute makes the
// calls entered after their second was read. A failed call is entered again later
// (backoff), under the same key, so its claim lets exactly one retry through.
import { setMaxListeners } from "node:events";
import type { Job } from "agenda";
import type { JobContext, JobDefinition } from "./job-definition.ts";
import { CallInProgress, CALL_LEASE_MS, runCall } from "./jobs/call-action.ts";
import { secondOf, Timetable, type NewCall, type TimetableCall } from "./timetable.ts";

export const DISPATCH_MINUTE = "scheduler.dispatch-minute";
/** How long before its second the calls of a second are read. */
const READ_LEAD_MS = 300;
/** A read may be in flight this long before its time: calls entered after are made here. */
const READ_MARGIN_MS = 200;
/** A minute's job is due this long before the minute, so it is running when it starts. */
const START_LEAD_MS = 2000;
/** Retries 2 s, 4 s … 64 s apart: a failed target gets two minutes to come back. */
const RETRY_DELAYS_MS = [2000, 4000, 8000, 16_000, 32_000, 64_000];

export interface ScheduledCall {
  id: string;
  key: string;
  next_run_at: string;
}

/** Waits ms, or less if the signal aborts. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const wake = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    signal.addEventListener("abort", wake);
  });

export class MinuteInterrupted extends Error {
  constructor(minute: number) {
    super(`the dispatch of minute ${minute} was interrupted by a stop; another node takes it over`);
  }
}

export class CallDispatcher {
  private readonly timetable: Timetable;
  /** Minutes whose job this node already made sure of (a hint: the job is unique). */
  private readonly ensured = new Set<number>();

  constructor(
    private readonly ctx: JobContext,
    /** Creates the dispatch job of a minute unless it exists; due at `at`. */
    private readonly ensureMinuteJob: (minute: number, at: Date) => Promise<void>,
    private readonly stopping: AbortSignal,
  ) {
    this.timetable = new Timetable(ctx.db);
    // Every call waiting for its due time listens for the stop: hundreds at once is normal.
    setMaxListeners(0, stopping);
  }

  /**
   * Enters a call unless its key already has one; answers the call that holds the key.
   * `fresh`: the caller knows the key is new, so it is not read first; if it was held after
   * all, the entry made here loses the key's claim and is skipped when due.
   */
  async schedule(call: Omit<NewCall, "attempt" | "origin">, { fresh = false } = {}): Promise<ScheduledCall> {
    const held = fresh ? null : await this.timetable.heldKey(call.key);
    if (held) return { id: held.call_id, key: call.key, next_run_at: held.due_at.toISOString() };
    const id = await this.enter({ ...call, attempt: 0, origin: null });
    const holder = await this.timetable.holderOf(call.key, id, call.due_at);
    const [heldId, due] = holder ? [holder.call_id, holder.due_at] : [id, call.due_at];
    return { id: heldId, key: call.key, next_run_at: due.toISOString() };
  }

  /** The job that makes one minute's calls. */
  minuteJob(): JobDefinition<{ minute: number }> {
    return {
      name: DISPATCH_MINUTE,
      // Runs about a minute; longer than that and it is taken for dead and run again,
      // which the calls' claims make harmless.
      lockLifetimeMs: 150_000,
      removeOnComplete: true,
      // Interrupted by a stop: due again at once, for another node.
      backoff: ({ error }) => (error instanceof MinuteInterrupted ? 0 : 5000),
      run: (job: Job<{ minute: number }>) => this.runMinute(job.attrs.data.minute),
    };
  }

  private async enter(call: NewCall): Promise<string> {
    const id = await this.timetable.enter(call);
    const minute = Math.floor(secondOf(call.due_at) / 60);
    if (!this.ensured.has(minute)) {
      await this.ensureMinuteJob(minute, new Date(minute * 60_000 - START_LEAD_MS));
      this.ensured.add(minute);
    }
    // Its second may have been read already, or be being read: make it from here, at its
    // time (the claim keeps the minute's job from making it too; its last pass covers a
    // crash of this node).
    const readAt = secondOf(call.due_at) * 1000 - READ_LEAD_MS;
    if (Date.now() >= readAt - READ_MARGIN_MS) {
      void sleep(call.due_at.getTime() - Date.now(), this.stopping).then(() => (this.stopping.aborted ? undefined : this.make({ ...call, _id: id })));
    }
    return id;
  }

  async runMinute(minute: number): Promise<void> {
    const made = new Set<string>();
    const making: Promise<void>[] = [];
    const makeAtDue = (calls: TimetableCall[]) => {
      for (const call of calls.filter((c) => !made.has(c._id))) {
        made.add(call._id);
        making.push(sleep(call.due_at.getTime() - Date.now(), this.stopping).then(() => (this.stopping.aborted ? undefined : this.make(call))));
      }
    };
    for (let s = 0; s < 60 && !this.stopping.aborted; s++) {
      const second = minute * 60 + s;
      await sleep(second * 1000 - READ_LEAD_MS - Date.now(), this.stopping);
      if (!this.stopping.aborted) makeAtDue(await this.timetable.callsAt(second));
    }
    await Promise.all(making);
    for (let s = 0; s < 60 && !this.stopping.aborted; s++) makeAtDue(await this.timetable.callsAt(minute * 60 + s));
    await Promise.all(making);
    if (this.stopping.aborted) throw new MinuteInterrupted(minute);
    if (this.ensured.size > 10_000) this.ensured.clear();
  }

  /** One attempt; a failure enters the call again for later, never throws. */
  private async make(call: TimetableCall): Promise<void> {
    try {
      if (!(await this.timetable.isHolder(call))) return;
      await runCall({ action: call.action, params: call.params, idempotency_key: call.key }, this.ctx);
    } catch (err) {
      const delay = err instanceof CallInProgress ? CALL_LEASE_MS : RETRY_DELAYS_MS[call.attempt];
      const message = err instanceof Error ? err.message : String(err);
      if (delay === undefined) {
        this.ctx.logger.error(`call ${call.key} (${call.action}) failed ${call.attempt + 1} times; giving up: ${message}`);
        return;
      }
      this.ctx.logger.warn(`call ${call.key} (${call.action}) failed, trying again in ${delay} ms: ${message}`);
      const { _id: origin, ...again } = call;
      await this.enter({ ...again, due_at: new Date(Date.now() + delay), attempt: call.attempt + 1, origin: call.origin ?? origin }).catch((e: Error) =>
        this.ctx.logger.error(`call ${call.key}: could not enter its retry: ${e.message}`),
      );
    }
  }
}
