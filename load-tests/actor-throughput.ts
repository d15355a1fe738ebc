// How many commands per second one queue actor's state machine decides, in-process, with
// no I/O: the ceiling a host's group commit works under. A steady day: one ticket issued
// for every three counter actions (call_next, start, complete) across four counters, so
// the waiting line holds at its starting backlog. Prints JSON; the median of three runs.
// `announce`: each command also announces its line's first tickets, as the host does with
// every commit it broadcasts (actors/host/host.ts, `change`).
//
//   npx tsx load-tests/actor-throughput.ts [commands] [backlog] [announce]
import { announced, decide, initialState, type Command, type PriorityClass, type QueueState } from "../actors/queue/index.ts";

const COUNTERS = 4;
/** What the host announces with each change (NEXT_IN_CHANGES in actors/host/host.ts). */
const ANNOUNCED = 5;
const RUNS = 3;
const START = Date.UTC(2025, 2, 10, 8, 0);
// One ticket in ten is elderly, one in twenty vip, one in twenty-five checks in for an appointment.
const priorityOf = (n: number): PriorityClass => (n % 10 === 0 ? "elderly" : n % 20 === 5 ? "vip" : "normal");

function run(commands: number, backlog: number, announce = false): { commands_per_s: number; waiting_at_end: number; version: number } {
  let state: QueueState = initialState({ queue_id: "bench" });
  let at = START;
  let issued = 0;
  const decided = (cmd: Command) => {
    const decision = decide(state, cmd);
    if (decision.ok && announce) announced(decision.state, cmd.at, ANNOUNCED);
    return decision;
  };
  const apply = (cmd: Command) => {
    const decision = decided(cmd);
    if (!decision.ok) throw new Error(`${cmd.type} refused: ${decision.error.code} ${decision.error.message}`);
    state = decision.state;
  };
  const issue = () => {
    const n = issued++;
    apply({
      type: "issue", ticket_id: `t${n}`, channel: "kiosk", priority: priorityOf(n), at,
      appointment_at: n % 25 === 0 ? at + 20 * 60_000 : null,
    });
  };
  for (let c = 0; c < COUNTERS; c++) apply({ type: "open_counter", counter_id: `c${c}`, name: `Guichet ${c + 1}`, at });
  for (let i = 0; i < backlog; i++) issue();

  // What each counter does next, kept here so the benchmark measures decide, not lookups.
  const phase = new Array<0 | 1 | 2>(COUNTERS).fill(0);
  const holding = new Array<string>(COUNTERS).fill("");
  let turn = 0;
  const started = performance.now();
  for (let i = 0; i < commands; i++) {
    at += 250;
    if (i % 4 === 0) {
      issue();
      continue;
    }
    const c = turn++ % COUNTERS;
    if (phase[c] === 0) {
      const decision = decided({ type: "call_next", counter_id: `c${c}`, at });
      if (!decision.ok) throw new Error(`call_next refused: ${decision.error.code}`);
      state = decision.state;
      const called = decision.events[0];
      holding[c] = "ticket" in called ? called.ticket.id : "";
    } else {
      apply({ type: phase[c] === 1 ? "start" : "complete", ticket_id: holding[c], at });
    }
    phase[c] = ((phase[c] + 1) % 3) as 0 | 1 | 2;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    commands_per_s: Math.round(commands / seconds),
    waiting_at_end: state.tickets.filter((t) => t.status === "waiting").length,
    version: state.version,
  };
}

/** Three runs in a row; the rates of each. */
export const actorThroughputRuns = (commands = 1_000_000, backlog = 200): number[] =>
  Array.from({ length: RUNS }, () => run(commands, backlog).commands_per_s);

if (import.meta.url === `file://${process.argv[1]}`) {
  const commands = Number(process.argv[2] ?? 1_000_000);
  const backlog = Number(process.argv[3] ?? 200);
  const announce = process.argv[4] === "announce";
  const runs = Array.from({ length: RUNS }, () => run(commands, backlog, announce));
  const rates = runs.map((r) => r.commands_per_s).sort((a, b) => a - b);
  console.log(JSON.stringify({
    benchmark: "actor-throughput",
    node: process.version,
    commands,
    counters: COUNTERS,
    backlog,
    announced: announce ? ANNOUNCED : 0,
    runs: runs.map((r) => r.commands_per_s),
    median_commands_per_s: rates[Math.floor(RUNS / 2)],
    waiting_at_end: runs[0].waiting_at_end,
  }));
}
