// Agenda on the node's database: defines the registry's jobs, runs due jobs, and stops
// gracefully. Agenda talks to MongoDB through the node's own (mongoose) client: the Mongo
// backend accepts a driver 6 `Db` (its peer range is mongodb ^6 || ^7), and package.json
// pins `mongodb` to mongoose's ~6.20 so both share one driver — with driver 7 beside it,
// the backend's bson-7 ObjectIds cannot go through mongoose's bson-6 client.
import { Agenda, type Job } from "agenda";
import { MongoBackend } from "@agendajs/mongo-backend";
import { ObjectId, type Db } from "mongodb";
import type { Config } from "../../config/index.ts";
import { CallDispatcher, DISPATCH_MINUTE, type ScheduledCall } from "./call-dispatcher.ts";
import { JobAnnouncements, type HandedBack } from "./job-announcements.ts";
import type { JobContext, JobDefinition } from "./job-definition.ts";
import { CALL_PREFIX, CallData } from "./schemas.ts";

export const JOBS_COLLECTION = "scheduler_jobs";

export interface ScheduledJob {
  id: string;
  name: string;
  key: string;
  next_run_at: string | null;
}

export class Scheduler {
  readonly agenda: Agenda;
  private readonly defined = new Set<string>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly finish = new Map<string, () => void>();
  private readonly stopping = new AbortController();
  private readonly calls: CallDispatcher;
  private readonly announcements: JobAnnouncements;
  private started = false;

  /** `toOtherNodes`: sends what this node hands back as it stops to the other scheduler nodes, whose `heard` takes it. */
  constructor(
    private readonly settings: Config["scheduler"],
    private readonly ctx: JobContext,
    toOtherNodes: (handedBack: HandedBack) => void,
  ) {
    const db = ctx.db.db;
    if (!db) throw new Error("the scheduler needs a connected database");
    this.agenda = new Agenda({
      name: ctx.broker.nodeID,
      backend: new MongoBackend({ mongo: db as Db, collection: JOBS_COLLECTION }),
      // Each poll locks the jobs due before the next poll and fires them on local timers,
      // so jobs fire on time; a job saved here since is locked at once, and what a
      // stopping node hands back is announced to the others (job-announcements.ts).
      processEvery: settings.processEveryMs,
      defaultConcurrency: settings.concurrency,
      maxConcurrency: settings.maxConcurrency,
    });
    this.announcements = new JobAnnouncements(toOtherNodes);
    this.agenda.notifyVia(this.announcements);
    // After stop, a poll still in flight may meet the closing connection: not news.
    this.agenda.on("error", (err) => this.started && ctx.logger.error(`scheduler: ${err.stack ?? err.message}`));
    this.agenda.on("fail", (err, job) => ctx.logger.warn(`job ${job.attrs.name} failed: ${err instanceof Error ? err.message : String(err)}`));
    this.agenda.on("complete", (job) => {
      if (!("attrs" in job)) return;
      const id = String(job.attrs._id);
      this.finish.get(id)?.();
      this.finish.delete(id);
      this.running.delete(id);
    });
    this.calls = new CallDispatcher(ctx, (minute, at) => this.ensureMinuteJob(minute, at), this.stopping.signal);
  }

  /** Jobs another scheduler node handed back as it stopped. */
  heard(handedBack: HandedBack): Promise<void> {
    return this.announcements.heard(handedBack);
  }

  define(def: JobDefinition): void {
    if (this.defined.has(def.name)) return;
    this.defined.add(def.name);
    this.agenda.define(
      def.name,
      async (job: Job<unknown>) => {
        // Settled on Agenda's "complete", which comes after the job's state is saved.
        let done!: () => void;
        this.running.set(String(job.attrs._id), new Promise<void>((resolve) => (done = resolve)).then(() => undefined));
        this.finish.set(String(job.attrs._id), done);
        await def.run(job, this.ctx);
      },
      { lockLifetime: def.lockLifetimeMs, concurrency: this.settings.concurrency, backoff: def.backoff, removeOnComplete: def.removeOnComplete },
    );
  }

  async start(recurring: JobDefinition[]): Promise<void> {
    for (const def of [...recurring, this.calls.minuteJob()]) this.define(def as JobDefinition);
    await this.agenda.start();
    this.started = true;
    for (const def of recurring) {
      if (!def.everyMs) continue;
      await this.agenda.every(def.everyMs, def.name, undefined, { skipImmediate: true });
      if (def.runsAtStart !== false) await this.agenda.now(def.name);
    }
  }

  /**
   * One job per (name, key): scheduling the same key again leaves the first job as is.
   * `call:<service.action>` goes to the call timetable (call-dispatcher.ts), any other
   * name must be a defined job and becomes an Agenda job. `fresh`: see the Schedule input.
   */
  async schedule(name: string, at: Date, data: Record<string, unknown>, key: string, fresh = false): Promise<ScheduledJob> {
    if (name.startsWith(CALL_PREFIX)) {
      const { action, params } = CallData.parse({ idempotency_key: key, ...data });
      return { name, ...(await this.calls.schedule({ key, action, params, due_at: at }, { fresh })) } satisfies ScheduledCall & { name: string };
    }
    if (!this.defined.has(name)) throw new Error(`no job named ${name}`);
    const job = await this.agenda
      .create(name, { ...data, key })
      .unique({ name, "data.key": key }, { insertOnly: true })
      .schedule(at)
      .save();
    return { id: String(job.attrs._id), name, key, next_run_at: job.attrs.nextRunAt?.toISOString() ?? null };
  }

  /**
   * Stops taking jobs and hands back the ones locked here but not started; waits up to
   * stopTimeoutMs for running jobs, then hands them back too, due at once (safe because
   * every handler is idempotent). What it handed back is announced, so other nodes run it
   * at once instead of at their next poll, or after lockLifetime.
   */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.stopping.abort();
    await this.agenda.stop(false);
    const pending = [...this.running.values()];
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      Promise.all(pending).then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), this.settings.stopTimeoutMs))),
    ]);
    clearTimeout(timer);
    if (timedOut && this.running.size) {
      const ids = [...this.running.keys()];
      this.ctx.logger.warn(`scheduler stopping with ${ids.length} job(s) still running; handing them back`);
      // Due again: a one-off job's nextRunAt is cleared when it starts, and unlocked
      // without one no node would ever run it again.
      await this.ctx.db.collection(JOBS_COLLECTION).updateMany({ _id: { $in: ids.map((id) => new ObjectId(id)) } }, { $unset: { lockedAt: "" }, $set: { nextRunAt: new Date() } });
    }
    for (const name of this.defined) this.announcements.handBack(name, new Date());
  }

  private async ensureMinuteJob(minute: number, at: Date): Promise<void> {
    await this.agenda.create(DISPATCH_MINUTE, { minute }).unique({ name: DISPATCH_MINUTE, "data.minute": minute }, { insertOnly: true }).schedule(at).save();
  }
}
