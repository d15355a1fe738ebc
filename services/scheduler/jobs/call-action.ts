// `call:<service.action>` schedules: call one action once, with the params given when it
// was scheduled (call-dispatcher.ts makes the attempts). FerretDB cannot make Agenda's
// job lock exclusive (its conditional updates are read-then-write), so the same job does
// run on two nodes at once: with two nodes and 100 due jobs we measured 167 deliveries
// when the only guard was a claim written after the call. The guard is therefore a claim taken BEFORE the call, by the
// one atomic write both databases have (an insert under a unique _id, `claimOnce`).
//
// A claim taken before the call has one hazard: a node that dies between the claim and
// the end of the call leaves a claim for a call that may never have happened. So a claim
// is a lease: a claim still "calling" after CALL_LEASE_MS (far above the broker's request
// timeout) belongs to a dead node, and the next run takes it over — again through a
// unique insert (`<key>#<generation>`), so one node wins each takeover. A takeover may
// repeat a call the dead node did complete, so the callee must still be idempotent on
// `idempotency_key` (sent to it as `ctx.meta.idempotency_key`): exactly once between
// live nodes, at least once (never lost) across a crash.
import { claimOnce } from "../../../mixins/db/claim.ts";
import type { JobContext } from "../job-definition.ts";
import { schedulerStore } from "../job-runs.ts";
import { CallData } from "../schemas.ts";

// A reminder-style call is quick; a minute is far above its honest duration (the broker
// gives up on a call after REQUEST_TIMEOUT_MS) and short enough that a call held by a
// dead node is made again within about a minute.
export const CALL_LEASE_MS = 60_000;

export type CallOutcome = "called" | "already_done";

export class CallInProgress extends Error {
  constructor(key: string) {
    super(`call ${key} is being made by another node; this run will check again`);
  }
}

/** Runs one `call:` job's data: calls the action unless a live claim or a completed run has. */
export async function runCall(data: unknown, ctx: JobContext, now: () => number = Date.now): Promise<CallOutcome> {
  const call = CallData.parse(data);
  const runs = schedulerStore(ctx.db).jobRuns;
  const key = call.idempotency_key;
  const claim = { action: call.action, node_id: ctx.broker.nodeID, claimed_at: new Date(now()) };
  if (!(await claimOnce(runs, key, { ...claim, state: "calling", generation: 0 }))) {
    const held = await runs.findById(key).lean();
    if (!held || held.state === "done") return "already_done";
    const alive = held.state === "calling" && now() - held.claimed_at.getTime() < CALL_LEASE_MS;
    const generation = held.generation + 1;
    // Throwing makes the dispatcher try again later: if the holder dies, a later run
    // finds its lease expired and takes over.
    if (alive || !(await claimOnce(runs, `${key}#${generation}`, { ...claim, state: "takeover", generation }))) throw new CallInProgress(key);
    await runs.updateOne({ _id: key }, { ...claim, state: "calling", generation });
  }
  try {
    await ctx.broker.call(call.action, call.params, { meta: { idempotency_key: key } });
  } catch (err) {
    await runs.updateOne({ _id: key }, { state: "failed" });
    throw err;
  }
  await runs.updateOne({ _id: key }, { state: "done", finished_at: new Date(now()) });
  return "called";
}
