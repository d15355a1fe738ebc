// `npm run bench`: every benchmark of issue 6, each figure the median of several runs,
// written to docs/BENCHMARKS.json (everything measured) and docs/BENCHMARKS.md (the
// tables, the ratios against each peer, the targets and what limits each miss).
//
//   npm run bench                 # full: about 30 minutes on 2 cores
//   npm run bench -- --quick      # one short run of each, for a smoke test (not written to docs/ unless --docs)
//   npm run bench -- --only displays|memory|restart|tickets|history|inbox|slots|appointments|payments|office-day|calls [--runs N]   (restart: cold and handed over; inbox: also staff's delivery log)
//   npm run bench -- --render     # docs/BENCHMARKS.md again from docs/BENCHMARKS.json (after a report change)
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { actorThroughputRuns } from "./actor-throughput.ts";
import { CALL_NEXT_FULL, CALL_NEXT_QUICK, callNextOnce } from "./call-next.ts";
import { benchDisplays, FULL, QUICK, type DisplaysOptions } from "./displays.ts";
import { insertCeilingOnce } from "./insert-ceiling.ts";
import { machine, pinSelfToLoadCore, round } from "./lib/rig.ts";
import { figure, repeat } from "./lib/runs.ts";
import { moleculerCallsOnce } from "./moleculer-calls.ts";
import { httpFloorOnce, naiveIssuanceOnce } from "./naive-issuance.ts";
import { officeDayOnce } from "./office-day.ts";
import { renderReport, type BenchResults } from "./report.ts";
import { restartOnce, type RestartOptions } from "./restart.ts";
import { SOCKET_MEMORY, socketMemory } from "./socket-memory.ts";
import { historyComparison } from "./history.ts";
import { ticketsOnce } from "./tickets.ts";
import { inboxOnce } from "./inbox.ts";
import { deliveryLogOnce } from "./delivery-log.ts";
import { availableSlotsOnce } from "./available-slots.ts";
import { myAppointmentsOnce } from "./my-appointments.ts";
import { staffAppointmentsOnce } from "./staff-appointments.ts";
import { myPaymentsOnce } from "./my-payments.ts";
import { staffListOnce, type Elsewhere } from "./staff-list.ts";
import type { ReadRound } from "./lib/read-rounds.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const valueOf = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const only = valueOf("--only");
const runs = Number(valueOf("--runs") ?? (quick ? 1 : 3));
const wants = (part: string) => !only || only === part;
const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const TICKETS = quick
  ? { seconds: 4, issuers: 32, queues: 20, ceilingSeconds: 3, callSeconds: 2, pacedWarmUpSeconds: 2 }
  : { seconds: 10, issuers: 32, queues: 20, ceilingSeconds: 6, callSeconds: 6, pacedWarmUpSeconds: 10 };
const CALL_NEXT = quick ? CALL_NEXT_QUICK : CALL_NEXT_FULL;

const RESTART = quick ? { screens: 1000, queues: 20, updatesPerSecond: 20, receivers: 2 } : { screens: 10_000, queues: 100, updatesPerSecond: 50, receivers: 2 };
// Half the re-admissions/s of the cold restarts measured on this rig (about 2,000/s), so
// screens handed over do not queue up (docs/bench-runs/2026-12-03-hand-over.md).
const HAND_OVER = { ...RESTART, handOverPerSecond: 1000 };

// The quick run reads memory at fewer, smaller counts.
const SOCKET_MEMORY_OPTIONS = { ...SOCKET_MEMORY, runs, ...(quick && { counts: [0, 500, 1000, 1500, 2000] }) };

async function memoryPart() {
  return { options: SOCKET_MEMORY_OPTIONS, servers: await socketMemory(SOCKET_MEMORY_OPTIONS, log) };
}

async function restartPart(options: RestartOptions) {
  // A run that breaks down (its nodes saturated past recovery) is reported as such; the
  // rest of the bench goes on.
  const how = options.handOverPerSecond ? `handed over at ${options.handOverPerSecond} sockets/s` : "restarted";
  const attempts = await repeat(runs, async (run) => {
    log(`restart: live gateway ${how} under ${options.screens} screens, run ${run + 1}`);
    return restartOnce(options).catch((err: Error) => (log(`  restart run failed: ${err.message}`), { failed: err.message.slice(0, 300) }));
  });
  const restarts = attempts.filter((r): r is Awaited<ReturnType<typeof restartOnce>> => !("failed" in r));
  return {
    options,
    failed_runs: attempts.filter((r) => "failed" in r),
    resync_p50_ms: figure(restarts.map((r) => r.resync_p50_ms)),
    resync_p99_ms: figure(restarts.map((r) => r.resync_p99_ms)),
    all_back_s: figure(restarts.map((r) => r.all_back_s)),
    gateway_restart_s: figure(restarts.map((r) => r.gateway_restart_s)),
    gateway_stop_s: figure(restarts.map((r) => r.gateway_stop_s)),
    gateway_listening_s: figure(restarts.map((r) => r.gateway_listening_s)),
    gateway_listened_after_s: figure(restarts.map((r) => r.gateway_listened_after_s)),
    gateway_admitting_after_s: figure(restarts.map((r) => r.gateway_admitting_after_s)),
    listen_overflows: figure(restarts.map((r) => r.listen_overflows)),
    readmissions_per_s: figure(restarts.map((r) => r.readmissions_per_s)),
    screens_behind_final_version: restarts.reduce((sum, r) => sum + r.screens_behind_final_version, 0),
    snapshot_regressions: restarts.reduce((sum, r) => sum + r.snapshot_regressions, 0),
    runs: restarts,
  };
}

/** Server-side CPU (node or naive server, plus the database) per acknowledged ticket, ms. */
const cpuMsPerTicket = (r: { tickets_acknowledged: number; costs: { node: { cpu_s: number }; database: { cpu_s: number } | null } }) =>
  r.tickets_acknowledged ? round(((r.costs.node.cpu_s + (r.costs.database?.cpu_s ?? 0)) / r.tickets_acknowledged) * 1000, 2) : null;

async function ticketsPart() {
  const issuance = await repeat(runs, (run) => (log(`tickets: SmartQueue issuance, run ${run + 1}`), ticketsOnce({ ...TICKETS, agents: false })));
  const mixed = await repeat(runs, (run) => (log(`tickets: SmartQueue issue + call + complete, run ${run + 1}`), ticketsOnce({ ...TICKETS, agents: true })));
  // Call-next while tickets are issued at half the rate the counters kept up with above, as
  // the displays are measured at half the highest rate they keep up with: the closed loops
  // measure saturation, where latency is their 52 clients divided by what the core gets through.
  // Measured after a warm-up under the same load: the question is an office's running day,
  // not a node's first seconds (tickets.ts, warmUpSeconds).
  const pacedRate = Math.max(1, Math.round((figure(mixed.map((r) => r.calls_per_s)).median ?? 2) / 2));
  const paced = await repeat(runs, (run) => (log(`tickets: SmartQueue issuing ${pacedRate} tickets/s while agents serve, run ${run + 1}`), ticketsOnce({ ...TICKETS, agents: true, issuedPerSecond: pacedRate, warmUpSeconds: TICKETS.pacedWarmUpSeconds })));
  const calls = await repeat(runs, (run) => (log(`tickets: call-next alone, run ${run + 1}`), callNextOnce(CALL_NEXT)));
  const naive = await repeat(runs, (run) => (log(`tickets: naive one-insert-per-request, run ${run + 1}`), naiveIssuanceOnce(TICKETS)));
  const ceiling = await repeat(runs, (run) => (log(`tickets: raw batched inserts, run ${run + 1}`), insertCeilingOnce({ seconds: TICKETS.ceilingSeconds, batch: 100, writers: 4 })));
  const floor = await repeat(runs, (run) => (log(`tickets: the naive server storing nothing (HTTP floor), run ${run + 1}`), httpFloorOnce(TICKETS)));
  return {
    options: TICKETS,
    smartqueue_issuance: { tickets_per_s: figure(issuance.map((r) => r.tickets_per_s)), cpu_ms_per_ticket: figure(issuance.map(cpuMsPerTicket)), issue_p50_ms: figure(issuance.map((r) => r.issue.p50_ms)), issue_p99_ms: figure(issuance.map((r) => r.issue.p99_ms)), runs: issuance },
    smartqueue_mixed: {
      tickets_per_s: figure(mixed.map((r) => r.tickets_per_s)),
      calls_per_s: figure(mixed.map((r) => r.calls_per_s)),
      call_next_p50_ms: figure(mixed.map((r) => r.call_next.p50_ms)),
      call_next_p99_ms: figure(mixed.map((r) => r.call_next.p99_ms)),
      runs: mixed,
    },
    smartqueue_paced: {
      issued_per_s_asked: pacedRate,
      warm_up_seconds: TICKETS.pacedWarmUpSeconds,
      tickets_per_s: figure(paced.map((r) => r.tickets_per_s)),
      calls_per_s: figure(paced.map((r) => r.calls_per_s)),
      call_next_p50_ms: figure(paced.map((r) => r.call_next.p50_ms)),
      call_next_p99_ms: figure(paced.map((r) => r.call_next.p99_ms)),
      issue_p50_ms: figure(paced.map((r) => r.issue.p50_ms)),
      node_cpu_share: figure(paced.map((r) => r.costs.node.cpu_share)),
      database_cpu_share: figure(paced.map((r) => r.costs.database?.cpu_share ?? null)),
      runs: paced,
    },
    call_next_alone: {
      options: CALL_NEXT,
      calls_per_s: figure(calls.map((r) => r.calls_per_s)),
      p50_ms: figure(calls.map((r) => r.call_next.p50_ms)),
      p99_ms: figure(calls.map((r) => r.call_next.p99_ms)),
      node_cpu_share: figure(calls.map((r) => r.costs.node.cpu_share)),
      database_cpu_share: figure(calls.map((r) => r.costs.database?.cpu_share ?? null)),
      counters_out_of_tickets: Math.max(...calls.map((r) => r.counters_out_of_tickets)),
      runs: calls,
    },
    naive: { tickets_per_s: figure(naive.map((r) => r.tickets_per_s)), cpu_ms_per_ticket: figure(naive.map(cpuMsPerTicket)), issue_p99_ms: figure(naive.map((r) => r.issue.p99_ms)), runs: naive },
    http_floor: { tickets_per_s: figure(floor.map((r) => r.tickets_per_s)), cpu_ms_per_ticket: figure(floor.map(cpuMsPerTicket)), runs: floor },
    ceiling: { inserts_per_s: figure(ceiling.map((r) => r.inserts_per_s)), cpu_ms_per_insert: figure(ceiling.map((r) => (r.database ? round((r.database.cpu_s / (r.inserts_per_s * TICKETS.ceilingSeconds)) * 1000, 3) : null))), runs: ceiling },
    acknowledged_but_missing: [...issuance, ...mixed, ...paced, ...naive].reduce((sum, r) => sum + r.acknowledged_but_missing, 0) + ceiling.reduce((sum, r) => sum + r.acknowledged_but_missing, 0),
  };
}

/** The database sizes compared: empty, and a year of history (the template is cached). */
const HISTORY_SIZES = quick ? [0, 100_000] : [0, 1_000_000];

async function historyPart() {
  log(`history: the hot path on databases of ${HISTORY_SIZES.map((size) => size.toLocaleString("en-US")).join(" and ")} past tickets, ${runs} rounds each`);
  return historyComparison(HISTORY_SIZES, runs);
}

const OFFICE_DAY = quick ? { seconds: 6, ticketsPerSecond: 10, queues: 10, screensPerQueue: 5 } : { seconds: 20, ticketsPerSecond: 10, queues: 10, screensPerQueue: 10 };

/** A list's reads beside none and beside many other documents (lib/read-rounds.ts): each side's figures over its rounds. */
function besideOthers<T extends { empty: ReadRound[]; with_others: ReadRound[] }>(once: T) {
  const at = (side: ReadRound[], pick: (round: ReadRound) => number | null) => figure(side.map(pick));
  return {
    ...once,
    empty_p50_ms: at(once.empty, (r) => r.p50_ms),
    empty_p99_ms: at(once.empty, (r) => r.p99_ms),
    with_others_p50_ms: at(once.with_others, (r) => r.p50_ms),
    with_others_p99_ms: at(once.with_others, (r) => r.p99_ms),
    failed: [...once.empty, ...once.with_others].reduce((sum, r) => sum + r.failed, 0),
  };
}

/** Other users' notifications beside the inbox read, past slots beside the booking page's, other citizens' appointments beside "my appointments" and past ones beside staff's list, other citizens' payments beside a citizen's: months of a busy office's (quick: a tenth). */
const INBOX_OTHERS = quick ? 100_000 : 1_000_000;
const PAST_SLOTS = quick ? 20_000 : 200_000;
const OTHER_APPOINTMENTS = quick ? 20_000 : 200_000;
const OTHER_PAYMENTS = quick ? 20_000 : 200_000;
const OTHER_DELIVERIES = quick ? 20_000 : 200_000;
/** Other organisations' tickets of today beside an organisation's staff list, or its other queues' beside a queue's: a busy platform's or organisation's day (quick: a tenth). */
const OTHER_TICKETS_OF_THE_DAY = quick ? 2_000 : 20_000;

async function inboxPart() {
  log(`inbox: a citizen's first page beside none and ${INBOX_OTHERS.toLocaleString("en-US")} other notifications, ${runs} rounds each`);
  return besideOthers(await inboxOnce(INBOX_OTHERS, runs));
}

async function deliveryLogPart() {
  log(`delivery log: an organisation's week beside none and ${OTHER_DELIVERIES.toLocaleString("en-US")} messages to other citizens, ${runs} rounds each`);
  return besideOthers(await deliveryLogOnce(OTHER_DELIVERIES, runs));
}

async function staffListPart(elsewhere: Elsewhere) {
  log(`staff list: ${elsewhere === "queues" ? "a queue's" : "an organisation's"} tickets of today beside none and ${OTHER_TICKETS_OF_THE_DAY.toLocaleString("en-US")} of other ${elsewhere}, ${runs} rounds each`);
  return besideOthers(await staffListOnce(OTHER_TICKETS_OF_THE_DAY, runs, elsewhere));
}

async function myAppointmentsPart() {
  log(`my appointments: a citizen's list beside none and ${OTHER_APPOINTMENTS.toLocaleString("en-US")} other appointments, ${runs} rounds each`);
  return besideOthers(await myAppointmentsOnce(OTHER_APPOINTMENTS, runs));
}

async function staffAppointmentsPart() {
  log(`staff appointments: an organisation's list of the days ahead beside none and ${OTHER_APPOINTMENTS.toLocaleString("en-US")} of its past appointments, ${runs} rounds each`);
  return besideOthers(await staffAppointmentsOnce(OTHER_APPOINTMENTS, runs));
}

async function myPaymentsPart() {
  log(`my payments: a citizen's list beside none and ${OTHER_PAYMENTS.toLocaleString("en-US")} other payments, ${runs} rounds each`);
  return besideOthers(await myPaymentsOnce(OTHER_PAYMENTS, runs));
}

async function staffPaymentsPart() {
  log(`staff payments: an organisation's list of the last 7 days beside none and ${OTHER_PAYMENTS.toLocaleString("en-US")} of its payments over the year, ${runs} rounds each`);
  return besideOthers(await myPaymentsOnce(OTHER_PAYMENTS, runs, "staff"));
}

async function settlementPart() {
  log(`settlement: an organisation's settlement of today beside none and ${OTHER_PAYMENTS.toLocaleString("en-US")} of its payments over the year, ${runs} rounds each`);
  return besideOthers(await myPaymentsOnce(OTHER_PAYMENTS, runs, "settlement"));
}

async function availableSlotsPart() {
  log(`available slots: a service's day beside none and ${PAST_SLOTS.toLocaleString("en-US")} past slots, ${runs} rounds each`);
  return besideOthers(await availableSlotsOnce(PAST_SLOTS, runs));
}

async function officeDayPart() {
  const days = await repeat(runs, (run) => (log(`office day: run ${run + 1}`), officeDayOnce(OFFICE_DAY)));
  const at = (pick: (d: (typeof days)[number]) => number | null) => figure(days.map(pick));
  return {
    options: OFFICE_DAY,
    tickets_per_s: at((d) => d.tickets_per_s),
    served_per_s: at((d) => d.served_per_s),
    polls_per_s: at((d) => d.polls_per_s),
    kiosk_p99_ms: at((d) => d.kiosk.p99_ms),
    mobile_p99_ms: at((d) => d.mobile.p99_ms),
    status_p50_ms: at((d) => d.status_poll.p50_ms),
    status_p99_ms: at((d) => d.status_poll.p99_ms),
    call_next_p50_ms: at((d) => d.call_next.p50_ms),
    call_next_p99_ms: at((d) => d.call_next.p99_ms),
    read_model_lag_p50_ms: at((d) => d.read_model_lag.p50_ms),
    read_model_lag_p99_ms: at((d) => d.read_model_lag.p99_ms),
    screen_p50_ms: at((d) => d.screen_p50_ms),
    screen_p99_ms: at((d) => d.screen_p99_ms),
    node_cpu_share: at((d) => d.costs.node.cpu_share),
    database_cpu_share: at((d) => d.costs.database?.cpu_share ?? null),
    failed_requests: days.reduce((sum, d) => sum + d.failed_requests, 0),
    screen_gaps: days.reduce((sum, d) => sum + d.screen_gaps, 0),
    acknowledged_but_missing: days.reduce((sum, d) => sum + d.acknowledged_but_missing, 0),
    runs: days,
  };
}

async function callsPart() {
  log("actor: commands/s in-process");
  const actor = actorThroughputRuns(quick ? 200_000 : 1_000_000);
  const calls = await repeat(runs, (run) => (log(`moleculer: local vs NATS calls, run ${run + 1}`), moleculerCallsOnce(TICKETS.callSeconds)));
  return {
    actor_commands_per_s: figure(actor),
    moleculer: {
      local_us_per_call: figure(calls.map((r) => r.local.sequential_us_mean)),
      nats_us_per_call: figure(calls.map((r) => r.nats.sequential_us_mean)),
      nats_p99_ms: figure(calls.map((r) => r.nats.sequential_p99_ms)),
      local_calls_per_s: figure(calls.map((r) => r.local.calls_per_s_64_in_flight)),
      nats_calls_per_s: figure(calls.map((r) => r.nats.calls_per_s_64_in_flight)),
      runs: calls,
    },
  };
}

async function main() {
  if (args.includes("--render")) {
    writeFileSync("docs/BENCHMARKS.md", renderReport(JSON.parse(readFileSync("docs/BENCHMARKS.json", "utf8"))));
    return log("rendered docs/BENCHMARKS.md from docs/BENCHMARKS.json");
  }
  pinSelfToLoadCore();
  const started = Date.now();
  const displaysOptions: DisplaysOptions = { ...(quick ? QUICK : FULL), runs };
  const results: BenchResults = {
    machine: machine(),
    quick,
    displays_options: displaysOptions,
    displays: wants("displays") ? await benchDisplays(displaysOptions, log) : null,
    socket_memory: wants("memory") ? await memoryPart() : null,
    restart: wants("restart") ? await restartPart(RESTART) : null,
    hand_over: wants("restart") ? await restartPart(HAND_OVER) : null,
    tickets: wants("tickets") ? await ticketsPart() : null,
    history: wants("history") ? await historyPart() : null,
    inbox: wants("inbox") ? await inboxPart() : null,
    delivery_log: wants("inbox") ? await deliveryLogPart() : null,
    staff_list: wants("inbox") ? await staffListPart("organisations") : null,
    staff_queue_list: wants("inbox") ? await staffListPart("queues") : null,
    available_slots: wants("slots") ? await availableSlotsPart() : null,
    my_appointments: wants("appointments") ? await myAppointmentsPart() : null,
    staff_appointments: wants("appointments") ? await staffAppointmentsPart() : null,
    my_payments: wants("payments") ? await myPaymentsPart() : null,
    staff_payments: wants("payments") ? await staffPaymentsPart() : null,
    settlement: wants("payments") ? await settlementPart() : null,
    office_day: wants("office-day") ? await officeDayPart() : null,
    calls: wants("calls") ? await callsPart() : null,
    load_average_at_end: os.loadavg().map((v) => round(v, 2)),
    minutes: 0,
  };
  results.minutes = round((Date.now() - started) / 60_000, 1);
  const json = JSON.stringify(results, null, 2);
  const markdown = renderReport(results);
  // A partial run must not overwrite the report; a quick one may, when asked (`--docs`).
  if (only || (quick && !args.includes("--docs"))) {
    writeFileSync("/tmp/smartqueue-bench.json", json);
    writeFileSync("/tmp/smartqueue-bench.md", markdown);
    log("quick/partial run: written to /tmp/smartqueue-bench.{json,md}");
  } else {
    mkdirSync("docs", { recursive: true });
    writeFileSync("docs/BENCHMARKS.json", `${json}\n`);
    writeFileSync("docs/BENCHMARKS.md", markdown);
    log("written: docs/BENCHMARKS.md, docs/BENCHMARKS.json");
  }
  console.log(markdown);
}

// Stopped by hand: exit, so the servers it started are killed with it (lib/rig.ts).
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
