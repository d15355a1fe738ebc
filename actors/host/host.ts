// The actor host: keeps the queue actors of this node in memory, feeds them commands,
// makes their decisions durable by group commit, and publishes what changed.
// - Activation on first use loads the queue from its snapshot and journal (reads only).
//   Its first commit appends the next seq under a new epoch: that insert is the lease.
//   From then on a node that owned the queue before can no longer extend the journal,
//   and if that node wrote first, the insert fails and this actor steps down instead.
// - Group commit: commands decided while a flush is in flight wait for the next one, so
//   under load one bulk insert carries many commands of many queues; a caller is
//   answered once its commit is in the journal, and by nothing else: the tickets read
//   model and the snapshots are written behind it by the projector (projector.ts). Until
//   a commit is projected, its tickets are kept here (`unprojected`), so what a caller
//   asks of a ticket is answered fresh by the owner, never from a lagging read model.
// - Passivation: an actor idle for `idleMs`, or any idle actor when the cluster changes
//   shape, leaves memory once its commits are projected; the next call reloads it
//   (wherever it is then routed).
// - Stranded transfers: a ticket sent to another queue stays in its source's `outbound`
//   until the arrival is settled. One still there `strandedAfterMs` after it left (the
//   node completing the transfer died between its two steps) is handed to
//   `onStrandedTransfer`, at activation and then periodically, until it is settled; an
//   actor with transfers outstanding is not passivated.
import type { LoggerInstance } from "moleculer";
import { DeadlineExceeded, withinDeadline } from "./deadline.ts";
import { AppError, errors } from "../../mixins/api/errors.ts";
import { announced, decide, headOfLine, initialState, type Command, type LineHead, type OutboundTransfer, type PolicyPatch, type QueueEvent, type QueueState, type Rejection, type Ticket } from "../queue/index.ts";
import { append, commitDoc, commitId, loadTip, type DurableCommit } from "./journal.ts";
import { Projector } from "./projector.ts";
import { ticketsIn } from "./read-model.ts";
import type { QueueChanged } from "./queue-changed.ts";
import type { HostStore } from "./store.ts";

export type { QueueChanged } from "./queue-changed.ts";

/** A command as callers send it: the host stamps the time. */
export type UntimedCommand = Command extends infer C ? (C extends Command ? Omit<C, "at"> : never) : never;

export interface QueueInfo {
  id: string;
  organization_id: string;
  branch_id: string | null;
  policy: PolicyPatch;
}

export interface Executed {
  events: QueueEvent[];
  state: QueueState;
  /** For an issue repeated with the same ticket id: that ticket as it is now. */
  existing?: Ticket;
}

export interface HostOptions {
  store: HostStore;
  nodeId: string;
  loadQueue: (queueId: string) => Promise<QueueInfo | null>;
  publish: (change: QueueChanged) => void;
  idleMs: number;
  /** How long a journal append or an activation's reads may take before callers are
   * answered 503 store_busy (the write itself may still land; fencing keeps that safe). */
  storeTimeoutMs?: number;
  /** Completes (or undoes) a transfer left half-done; resolves once it is settled. */
  onStrandedTransfer?: (queueId: string, transfer: OutboundTransfer) => Promise<void>;
  /** How long after a ticket left its transfer counts as stranded. */
  strandedAfterMs?: number;
  /** Past `lagMs` of read-model lag, a new ticket waits for the projector, for at most `waitAtMostMs`. */
  projectionPacing?: { lagMs: number; waitAtMostMs: number };
  logger: LoggerInstance;
  clock?: () => number;
}

interface Waiter {
  stateAfter: QueueState;
  events: QueueEvent[];
  resolve: (done: Executed) => void;
  reject: (err: Error) => void;
}

interface Actor {
  info: QueueInfo;
  /** As of the latest durable commit: what reads see. */
  committed: QueueState;
  /** After every decided command, durable or not: what the next command is decided on. */
  latest: QueueState;
  seq: number;
  epoch: number;
  /** Tickets of commits not yet projected, by id, with the seq of their latest version. */
  unprojected: Map<string, { ticket: Ticket; seq: number }>;
  pending: Waiter[];
  flushing: Waiter[];
  lastUsed: number;
  /** The head of the line of `committed`, as the latest change announced it, and of
   * `latest`, as the latest command was decided on (headOfLine brings them up to date). */
  announcedLine?: LineHead;
  decidingLine?: LineHead;
}

const NEXT_IN_CHANGES = 5;
const DEFAULT_STORE_TIMEOUT_MS = 5000;
const DEFAULT_STRANDED_AFTER_MS = 30_000;
/** How long a stopping node keeps projecting what it committed; the next owner replays the rest. */
const PROJECTION_GRACE_MS = 5000;
/** The read model's lag past which new tickets wait for the projector (its target is a p99 of 1 s), and for how long at most. */
const DEFAULT_PROJECTION_PACING = { lagMs: 500, waitAtMostMs: 1000 };

export class QueueActorHost {
  private readonly actors = new Map<string, Actor>();
  private readonly activations = new Map<string, Promise<Actor>>();
  private readonly dirty = new Set<Actor>();
  private flushRunning: Promise<void> | null = null;
  private readonly idleTimer: NodeJS.Timeout;
  private readonly strandedTimer: NodeJS.Timeout;
  /** Ticket ids whose stranded transfer is being completed right now. */
  private readonly recovering = new Set<string>();
  private readonly clock: () => number;
  readonly projector: Projector;

  constructor(private readonly options: HostOptions) {
    this.clock = options.clock ?? Date.now;
    this.projector = new Projector({ store: options.store, logger: options.logger, clock: this.clock, onProjected: (id, seq) => this.projected(id, seq) });
    this.idleTimer = setInterval(() => this.passivateIdle(options.idleMs), Math.max(1000, options.idleMs / 4));
    this.idleTimer.unref();
    this.strandedTimer = setInterval(() => this.recoverStranded(), Math.max(500, this.strandedAfterMs / 2));
    this.strandedTimer.unref();
  }

  private get strandedAfterMs(): number {
    return this.options.strandedAfterMs ?? DEFAULT_STRANDED_AFTER_MS;
  }

  get size(): number {
    return this.actors.size;
  }

  /** Decides a command now; resolves once its effects are durable. */
  async execute(queueId: string, command: UntimedCommand): Promise<Executed> {
    // Arrivals faster than the read model can take them would only leave it further
    // behind: past a lag, a new ticket waits for the projector (bounded). Staff commands
    // never wait: serving is what shortens the queues.
    if (command.type === "issue") {
      const { lagMs, waitAtMostMs } = this.options.projectionPacing ?? DEFAULT_PROJECTION_PACING;
      await this.projector.lagBelow(lagMs, waitAtMostMs);
    }
    const actor = await this.activate(queueId);
    const at = this.clock();
    const line = headOfLine(actor.latest, at, 1, actor.decidingLine);
    const decision = decide(actor.latest, { ...command, at } as Command, line);
    actor.decidingLine = decision.ok ? headOfLine(decision.state, at, 1, line, ticketsIn(decision.events).values()) : line;
    if (!decision.ok) {
      if (decision.error.code === "duplicate_ticket") {
        // The same ticket id again (an idempotent retry): answer once the original is durable.
        await this.settled(actor);
        const ticketId = (command as { ticket_id?: string }).ticket_id ?? "";
        return { events: [], state: actor.committed, existing: freshTicket(actor, ticketId) ?? undefined };
      }
      throw ruleError(decision.error);
    }
    actor.latest = decision.state;
    return new Promise<Executed>((resolve, reject) => {
      actor.pending.push({ stateAfter: decision.state, events: decision.events, resolve, reject });
      this.dirty.add(actor);
      this.scheduleFlush();
    });
  }

  /** A view of the queue as durably committed. */
  async read<T>(queueId: string, view: (state: QueueState, at: number) => T): Promise<T> {
    const actor = await this.activate(queueId);
    return view(actor.committed, this.clock());
  }

  /**
   * A ticket as the owner knows it now: open, or changed by a commit not yet projected.
   * null: the read model holds its latest version (or the queue never had it).
   */
  async ticket(queueId: string, ticketId: string): Promise<Ticket | null> {
    return freshTicket(await this.activate(queueId), ticketId);
  }

  /** `ticket` for several tickets of one queue, in their order. */
  async tickets(queueId: string, ticketIds: readonly string[]): Promise<Array<Ticket | null>> {
    const actor = await this.activate(queueId);
    return ticketIds.map((id) => freshTicket(actor, id));
  }

  /** Drops actors with nothing in flight that were not used for `idleMs` (0: all idle ones). */
  passivateIdle(idleMs = 0): number {
    const threshold = this.clock() - idleMs;
    let dropped = 0;
    for (const [id, actor] of this.actors) {
      if (busy(actor) || actor.lastUsed > threshold) continue;
      this.actors.delete(id);
      this.projector.forget(id);
      dropped++;
    }
    return dropped;
  }

  /** Forgets one queue (it was deleted), unless it still has work in flight. */
  forget(queueId: string): void {
    const actor = this.actors.get(queueId);
    if (actor && !busy(actor)) {
      this.actors.delete(queueId);
      this.projector.forget(queueId);
    }
  }

  /** Lets the flush in flight finish and the projector catch up (bounded), then forgets every actor. */
  async stop(): Promise<void> {
    clearInterval(this.idleTimer);
    clearInterval(this.strandedTimer);
    while (this.flushRunning) await this.flushRunning;
    await this.projector.stop(PROJECTION_GRACE_MS);
    this.actors.clear();
  }

  private async activate(queueId: string): Promise<Actor> {
    const known = this.actors.get(queueId);
    if (known) {
      known.lastUsed = this.clock();
      return known;
    }
    let loading = this.activations.get(queueId);
    if (!loading) {
      loading = this.load(queueId).finally(() => this.activations.delete(queueId));
      this.activations.set(queueId, loading);
    }
    return loading;
  }

  /** Reads the queue; writes nothing. The new epoch is taken by the first commit (see flush). */
  private async load(queueId: string): Promise<Actor> {
    const started = this.clock();
    const [info, tip] = await this.bounded(Promise.all([this.options.loadQueue(queueId), loadTip(this.options.store, queueId)]), `activating queue ${queueId}`);
    if (!info) throw errors.notFound("Queue");
    const state = tip.state ?? initialState({ queue_id: queueId, policy: info.policy });
    const actor: Actor = {
      info,
      committed: state,
      latest: state,
      seq: tip.seq,
      epoch: tip.epoch + 1,
      unprojected: new Map(),
      pending: [],
      flushing: [],
      lastUsed: this.clock(),
    };
    this.actors.set(queueId, actor);
    // The previous owner may have stopped before projecting its last commits: project
    // again what was replayed (idempotent; rows never move backwards).
    this.projector.track(queueId);
    for (const commit of tip.replayed) this.project(actor, commit);
    this.options.logger.debug({ queue_id: queueId, replayed: tip.replayed.length, ms: this.clock() - started }, "queue activated");
    setImmediate(() => this.recoverStranded());
    return actor;
  }

  /** Hands every transfer left outstanding too long to `onStrandedTransfer`, one at a time per ticket. */
  private recoverStranded(): void {
    const complete = this.options.onStrandedTransfer;
    if (!complete) return;
    const due = this.clock() - this.strandedAfterMs;
    for (const [queueId, actor] of this.actors) {
      for (const transfer of actor.committed.outbound ?? []) {
        const id = transfer.ticket.id;
        if (transfer.at > due || this.recovering.has(id)) continue;
        this.recovering.add(id);
        this.options.logger.warn({ queue_id: queueId, ticket_id: id, to_queue_id: transfer.to_queue_id }, "completing a stranded transfer");
        complete(queueId, transfer)
          .catch((err) => this.options.logger.warn({ err, ticket_id: id }, "a stranded transfer could not be completed yet; trying again later"))
          .finally(() => this.recovering.delete(id));
      }
    }
  }

  /** `work`, or 503 store_busy once it has taken longer than the store timeout. */
  private async bounded<T>(work: Promise<T>, what: string): Promise<T> {
    try {
      return await withinDeadline(work, this.options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS, what);
    } catch (err) {
      if (err instanceof DeadlineExceeded) {
        this.options.logger.warn({ what, ms: err.ms }, "the database did not answer in time");
        throw errors.storeBusy();
      }
      throw err;
    }
  }


  /** Resolves when every command decided so far for this actor has settled. */
  private async settled(actor: Actor): Promise<void> {
    const waiting = [...actor.flushing, ...actor.pending];
    if (!waiting.length) return;
    await new Promise<void>((resolve) => {
      const last = waiting[waiting.length - 1]!;
      const { resolve: done, reject: failed } = last;
      last.resolve = (value) => (done(value), resolve());
      last.reject = (err) => (failed(err), resolve());
    });
  }

  private scheduleFlush(): void {
    if (this.flushRunning) return; // the running loop picks new work up when it is done
    this.flushRunning = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.flushLoop())
      .catch((err) => this.options.logger.error({ err }, "group commit loop failed"))
      .finally(() => {
        this.flushRunning = null;
        // Work that arrived between the loop's last check and now.
        if (this.dirty.size) this.scheduleFlush();
      });
  }

  private async flushLoop(): Promise<void> {
    while (this.dirty.size) {
      const batch = [...this.dirty];
      this.dirty.clear();
      await this.flush(batch);
    }
  }

  private async flush(batch: Actor[]): Promise<void> {
    const commits = batch.map((actor) => {
      actor.flushing = actor.pending;
      actor.pending = [];
      const last = actor.flushing[actor.flushing.length - 1]!;
      const events = actor.flushing.flatMap((w) => w.events);
      const seq = actor.seq + 1;
      const head = { _id: commitId(actor.info.id, seq), queue_id: actor.info.id, seq, epoch: actor.epoch, node_id: this.options.nodeId, committed_at: new Date(this.clock()) };
      return { actor, doc: commitDoc(head, { state: last.stateAfter, events }), events };
    });
    let lost: Set<string>;
    try {
      lost = await this.bounded(append(this.options.store, commits.map((c) => c.doc)), "the journal append");
    } catch (err) {
      // Callers get the error as it is: a busy or unreachable store is a 503 store_busy
      // (services/api/error-response.ts), an invalid document a loud 500. A timed-out
      // append may still land: the next activation reads it from the journal, and a stale
      // owner's next append loses to it on the seq.
      this.options.logger.error({ err, queues: commits.length }, "group commit failed");
      for (const { actor } of commits) this.evict(actor, err as Error);
      return;
    }
    const done = commits.filter(({ actor }) => !lost.has(actor.info.id));
    for (const { actor } of commits) if (lost.has(actor.info.id)) this.evict(actor, errors.queueMoved());
    for (const { actor, doc, events } of done) {
      actor.seq = doc.seq;
      actor.committed = actor.flushing[actor.flushing.length - 1]!.stateAfter;
      const waiters = actor.flushing;
      actor.flushing = [];
      for (const waiter of waiters) waiter.resolve({ events: waiter.events, state: waiter.stateAfter });
      if (events.length) this.options.publish(this.change(actor, doc.seq, events));
      this.project(actor, { seq: doc.seq, epoch: doc.epoch, committedAt: doc.committed_at.getTime(), events, state: actor.committed });
    }
  }

  /** Hands a durable commit to the projector, keeping its tickets here until it is written. */
  private project(actor: Actor, commit: DurableCommit): void {
    for (const ticket of ticketsIn(commit.events).values()) actor.unprojected.set(ticket.id, { ticket, seq: commit.seq });
    const { organization_id: organizationId, branch_id: branchId } = actor.info;
    this.projector.enqueue({ queueId: actor.info.id, organizationId, branchId, ...commit });
  }

  private projected(queueId: string, seq: number): void {
    const actor = this.actors.get(queueId);
    if (!actor) return;
    for (const [id, entry] of actor.unprojected) if (entry.seq <= seq) actor.unprojected.delete(id);
  }

  private change(actor: Actor, seq: number, events: QueueEvent[]): QueueChanged {
    const state = actor.committed;
    const at = this.clock();
    actor.announcedLine = headOfLine(state, at, NEXT_IN_CHANGES, actor.announcedLine, ticketsIn(events).values());
    const next = announced(state, at, NEXT_IN_CHANGES, actor.announcedLine);
    return {
      queue_id: actor.info.id,
      organization_id: actor.info.organization_id,
      branch_id: actor.info.branch_id,
      from_version: events[0]!.version,
      version: events[events.length - 1]!.version,
      seq,
      events,
      next,
      sent_at: at,
    };
  }

  /** Forgets an actor whose state can no longer be trusted, failing what it still owed. */
  private evict(actor: Actor, err: Error): void {
    if (this.actors.get(actor.info.id) === actor) this.actors.delete(actor.info.id);
    this.dirty.delete(actor);
    for (const waiter of [...actor.flushing, ...actor.pending]) waiter.reject(err);
    actor.flushing = [];
    actor.pending = [];
  }
}

/** Commands in flight, tickets not yet in the read model, or transfers not settled: the actor
 * must stay in memory. (A commit without tickets may be left to the projector: the journal holds it.) */
function busy(actor: Actor): boolean {
  return actor.pending.length > 0 || actor.flushing.length > 0 || actor.unprojected.size > 0 || (actor.committed.outbound?.length ?? 0) > 0;
}

function freshTicket(actor: Actor, ticketId: string): Ticket | null {
  return actor.committed.tickets.find((t) => t.id === ticketId) ?? actor.unprojected.get(ticketId)?.ticket ?? null;
}

const BAD_INPUT = new Set(["invalid_command", "invalid_policy"]);
const MISSING = new Set(["ticket_not_found", "counter_not_found"]);

function ruleError(rejection: Rejection): AppError {
  if (BAD_INPUT.has(rejection.code)) return errors.validation([{ path: "body", message: rejection.message }]);
  if (MISSING.has(rejection.code)) return errors.notFound(rejection.code === "ticket_not_found" ? "Ticket" : "Counter");
  return errors.queueRule(rejection.code, rejection.message);
}
