// Turns the bench's results into docs/BENCHMARKS.md: the targets of issue 6 with what was
// measured (median and spread of the runs), met or not and what limits each miss; then
// every server's and scenario's figures, and the ratios against the peers.
import type { DisplaysFigures, DisplaysOptions, Window } from "./displays.ts";
import type { SocketMemoryFigures, SocketMemoryOptions } from "./socket-memory.ts";
import { figure, type Figure } from "./lib/runs.ts";
import type { machine } from "./lib/rig.ts";

export interface BenchResults {
  machine: ReturnType<typeof machine>;
  quick: boolean;
  displays_options: DisplaysOptions;
  displays: DisplaysFigures[] | null;
  /** Absent from reports made before it was measured this way. */
  socket_memory?: { options: SocketMemoryOptions; servers: SocketMemoryFigures[] } | null;
  restart: any;
  /** The same restart as a hand-over: the successor started on the port first (absent from reports before 2026-12-03). */
  hand_over?: any;
  tickets: any;
  history: any;
  /** A citizen's inbox beside other users' notifications, a service's available slots beside past slots, a citizen's appointments beside others' (absent from reports before 2026-12-05). */
  inbox?: any;
  available_slots?: any;
  my_appointments?: any;
  /** Staff's list of their organisation's appointments beside its past ones (absent from reports before 2026-12-05). */
  staff_appointments?: any;
  /** A citizen's payments beside other citizens' (absent from reports before 2026-12-05). */
  my_payments?: any;
  /** Staff's list of their organisation's payments beside its year of payments (absent from reports before 2026-12-05). */
  staff_payments?: any;
  delivery_log?: any;
  /** An organisation's settlement of today beside its year of payments (absent from reports before 2026-12-06). */
  settlement?: any;
  /** Staff's list of today beside other organisations' tickets of the day, and a queue's beside the organisation's other queues' (absent from reports before 2026-12-06). */
  staff_list?: any;
  staff_queue_list?: any;
  office_day: any;
  calls: any;
  load_average_at_end: number[];
  minutes: number;
}

const n = (v: number | null | undefined, digits = 0) => (v === null || v === undefined ? "—" : v.toLocaleString("en-US", { maximumFractionDigits: digits }));
/** How a paced run was measured: after a warm-up under the same load (none in runs before it had one). */
const pacedAfter = (paced: { warm_up_seconds?: number }) => (paced.warm_up_seconds ? `, measured after ${paced.warm_up_seconds} s of the same load` : "");

/** "median (min–max)", or the single value of a one-run figure. */
export function show(f: Figure | undefined, digits = 0, unit = ""): string {
  if (!f || f.median === null) return "—";
  const spread = f.runs.length > 1 ? ` (${n(f.min, digits)}–${n(f.max, digits)})` : "";
  return `${n(f.median, digits)}${unit}${spread}`;
}

const ratio = (a: number | null, b: number | null, digits = 1) => (a && b ? `${n(a / b, digits)}×` : "—");
/** A figure's median; null when it was not measured (a run from before the figure existed). */
const medianOf = (figure: { median: number | null } | undefined): number | null => figure?.median ?? null;
const verdict = (ok: boolean | null) => (ok === null ? "not measured" : ok ? "**met**" : "**missed**");

/** What held the ramp back in a run: the first rate not kept up with, and which core was full. */
function rampLimit(figures: DisplaysFigures): string {
  const failed = figures.runs.map((r) => r.ramp.find((w) => !w.kept_up)).filter((w): w is Window => !!w);
  if (failed.length === 0) return "the ramp's last step was kept up with: raise `rampRates` to find the limit";
  const w = failed[0]!;
  const receivers = w.receivers.reduce((s, c) => s + c.cpu_share, 0);
  const [serverCore = 0, loadCore = 0] = w.cores;
  const others = serverCore - w.server.cpu_share > 0.25 ? ", much of it other processes' work" : "";
  const core =
    serverCore >= 0.9 ? `the server core was full${others}` : loadCore >= 0.9 ? "the load core (publisher and receivers) was full" : "neither core was full: delivery lagged";
  const drops = w.dropped ? `, ${w.dropped} screens dropped (${Object.entries(w.close_codes).map(([c, k]) => `${k}× close ${c}`).join(", ")})` : "";
  return `at ${n(w.rate)} updates/s ${n(w.deliveries)} of ${n(w.expected)} deliveries arrived; server process ${n(w.server.cpu_share * 100)}% of a core, receivers ${n(receivers * 100)}%, publisher ${n(w.publisher.cpu_share * 100)}%; core 0 ${n(serverCore * 100)}% busy, core 1 ${n(loadCore * 100)}% (all processes): ${core}${drops}`;
}

/** Why the office-load tail is long: the same load on bare uWS, and how busy the server core was. */
function officeTail(sq: DisplaysFigures, uws: DisplaysFigures | undefined): string {
  const busy = sq.runs.map((r) => r.office.cores?.[0] ?? 0);
  return `bare uWS under the same load: p99 ${show(uws?.office_p99_ms, 1, " ms")}; the server core was ${n(Math.max(...busy) * 100)}% busy at most during SmartQueue's windows (all processes), so the tail is mostly waiting for the core; SmartQueue's own part is each update's hop over NATS into the live service (zod parse, coalescing tick) before uWS fans it out`;
}

/** The half-rate tail: how busy both cores were in that window, and bare uWS at its own half rate. */
function halfRateTail(sq: DisplaysFigures, uws: DisplaysFigures | undefined): string {
  const half = sq.runs.map((r) => r.half).filter((w): w is Window => !!w);
  const cores = half[0]?.cores ?? [];
  return `measured at ${n(half[0]?.rate)} updates/s (${n(half[0]?.deliveries_per_s)} deliveries/s) with core 0 ${n((cores[0] ?? 0) * 100)}% and core 1 ${n((cores[1] ?? 0) * 100)}% busy (all processes, run 1): the latency is queueing in front of a nearly full core; bare uWS at its own half rate: p99 ${show(uws?.half_rate_p99_ms, 1, " ms")}`;
}

function displaysTargets(displays: DisplaysFigures[], o: DisplaysOptions): string[][] {
  const by = (name: string) => displays.find((d) => d.server === name);
  const sq = by("smartqueue");
  if (!sq) return [];
  const cpu = (name: string) => by(name)?.server_cpu_s_per_million.median ?? null;
  const sqCpu = cpu("smartqueue");
  const rows: string[][] = [];
  const at = `${n(o.sockets)} screens over ${o.queues} queues`;
  rows.push([`p99 publish→screen at ${o.officeRate} updates/s, ${at}`, "≤ 10 ms", show(sq.office_p99_ms, 1, " ms"), verdict(sq.office_p99_ms.median !== null && sq.office_p99_ms.median <= 10),
    sq.office_p99_ms.median !== null && sq.office_p99_ms.median > 10 ? officeTail(sq, by("uws")) : ""]);
  rows.push([`p99 at half the highest rate kept up with`, "≤ 50 ms", show(sq.half_rate_p99_ms, 1, " ms"), verdict(sq.half_rate_p99_ms.median === null ? null : sq.half_rate_p99_ms.median <= 50),
    sq.half_rate_p99_ms.median !== null && sq.half_rate_p99_ms.median > 50 ? halfRateTail(sq, by("uws")) : ""]);
  const vs = (peer: string, factor: number, label: string) => {
    const peerCpu = cpu(peer);
    const ok = sqCpu !== null && peerCpu !== null ? sqCpu <= peerCpu / factor : null;
    rows.push([`server CPU per million deliveries ≤ ${label} ${by(peer)?.label ?? peer}'s`, `≤ ${n(peerCpu === null ? null : peerCpu / factor, 2)} s`, `${show(sq.server_cpu_s_per_million, 2, " s")} (${by(peer)?.label}: ${show(by(peer)?.server_cpu_s_per_million, 2, " s")})`, verdict(ok),
      ok === false ? `bare uWS with the same topics: ${show(by("uws")?.server_cpu_s_per_million, 2, " s")} — SmartQueue's fan-out is that same native publish; what it adds per update (the NATS event, zod parsing, the coalescer) is spread over the ${n(o.sockets / o.queues)} screens of a queue, so it weighs more where fewer screens share a queue` : ""]);
  };
  vs("socketio", 5, "1/5 of");
  vs("ws", 2, "1/2 of");
  vs("centrifugo", 1, "");
  const sio = by("socketio")?.max_deliveries_per_s.median ?? null;
  const maxOk = sq.max_deliveries_per_s.median !== null && sio !== null ? sq.max_deliveries_per_s.median >= 5 * sio : null;
  rows.push([`deliveries/s at least 5× Socket.IO's`, `≥ ${n(sio === null ? null : 5 * sio)}`, `${show(sq.max_deliveries_per_s)} (Socket.IO: ${show(by("socketio")?.max_deliveries_per_s)})`, verdict(maxOk), maxOk === false ? `SmartQueue: ${rampLimit(sq)}` : ""]);
  return rows;
}

const KB = 1024;

function socketMemoryTargets(m: BenchResults["socket_memory"]): string[][] {
  const sq = m?.servers.find((s) => s.server === "smartqueue");
  if (!m || !sq) return [];
  const uws = m.servers.find((s) => s.server === "uws");
  const heap = sq.heap_bytes_per_socket.median;
  const rss = sq.rss_bytes_per_socket.median;
  const ok = heap === null || rss === null ? null : Math.max(heap, rss) <= 8 * KB;
  return [[
    `server memory per idle authenticated socket (slopes over ${m.options.counts.map((c) => n(c)).join(", ")} sockets, after a forced collection)`,
    "≤ 8 KB",
    `heap ${show(sq.heap_bytes_per_socket, 0, " B")}, RSS ${show(sq.rss_bytes_per_socket, 0, " B")}`,
    verdict(ok),
    `bare uWS, same sockets: heap ${show(uws?.heap_bytes_per_socket, 0, " B")}, RSS ${show(uws?.rss_bytes_per_socket, 0, " B")}`,
  ]];
}

function socketMemorySection(m: NonNullable<BenchResults["socket_memory"]>): string {
  const sq = m.servers.find((s) => s.server === "smartqueue");
  const rows = m.servers.map((s) => [
    s.label,
    show(s.heap_bytes_per_socket),
    show(s.rss_bytes_per_socket),
    s.runs.map((r) => `${n(r.rss_bytes_per_socket)} ± ${n(r.rss_slope_error)}`).join("; "),
    show(s.external_bytes_per_socket),
    ratio(s.rss_bytes_per_socket.median, sq?.rss_bytes_per_socket.median ?? null, 2),
    s.method,
  ]);
  return [
    `\`load-tests/socket-memory.ts\` (alone: \`npm run load:socket-memory\`): each server started fresh on the server core; ${n(m.options.warmUp)} screens connect and leave first (one-time costs: compiled code, caches), then idle authenticated screens connect in steps to ${m.options.counts.map((c) => n(c)).join(", ")} (over ${m.options.queues} queues, from ${m.options.receivers} receiver processes) and the server's memory is read after each step. The Node servers run with \`--expose-gc\` and a preloaded probe (load-tests/lib/memory-probe.mjs) that forces a full garbage collection before reading \`process.memoryUsage()\`. A figure is the least-squares slope over the readings, in bytes per socket: the median of the runs (${m.options.runs}) with their spread; the standard error of each run's RSS slope shows how well its readings lie on a line.`,
    "",
    table(["server", "heap B / socket", "RSS B / socket", "RSS slope per run (± its standard error)", "external B / socket", "RSS ÷ SmartQueue's", "how read"], rows),
  ].join("\n");
}

/**
 * A restart's target row (≤ 3 s p99, no update missed), met when the median p99 is and no
 * screen was left behind its queue's final version; `measured` and `limits` say the rest.
 */
function restartRow(r: any, what: string, measured: () => string, limits: () => string): string[][] {
  if (r.runs.length === 0) return [[what, "≤ 3 s p99, 0 missed", "every run broke down", verdict(false), r.failed_runs.map((f: any) => f.failed).join("; ")]];
  const p99 = r.resync_p99_ms.median;
  const ok = p99 !== null && p99 <= 3000 && r.screens_behind_final_version === 0;
  return [[what, "≤ 3 s p99, 0 missed", measured(), verdict(p99 === null ? null : ok), ok ? "" : limits()]];
}

function restartTargets(r: any): string[][] {
  if (!r) return [];
  const what = `live gateway restart (stopped, then started): ${n(r.options.screens)} displays back and re-synced, no update missed`;
  return restartRow(
    r,
    what,
    () => `socket lost → fresh snapshot p99 ${show(r.resync_p99_ms, 0, " ms")} (nothing listened for ${show(r.gateway_restart_s, 1, " s")}: the old process stopping, ${show(r.gateway_stop_s, 1, " s")}, then the new one starting; last screen after ${show(r.all_back_s, 1, " s")}, so ${show(afterListening(r), 1, " s")} after the gateway listened again); ${n(r.screens_behind_final_version)} screens behind their queue's final version, ${n(r.snapshot_regressions)} older snapshots`,
    () => `the old process's stop and the new one's start (a new Node process starting from npm start's bundle and joining the cluster) are in every screen's wait: ${show(r.gateway_restart_s, 1, " s")}; then screens come back at the admission rate, ${show(r.readmissions_per_s, 0, "/s")}: each re-sync is an upgrade like the first connect, its display token remembered by the live node after the first check and its queue's view fetched from the queues' node at most once a second (the next screens get that view and the deltas heard since), with the server core ${n((r.runs[0]?.cores?.[0] ?? 0) * 100)}% busy meanwhile (run 1, all processes: both nodes, the database and the 50 tickets/s issued share that core)${overflowNote(r)}${refusedNote(r.runs)}`,
  );
}

/** The restarted node's start by its own clock (its metrics), from the cold restart under load. */
function listeningTargets(r: any): string[][] {
  if (!r?.gateway_listened_after_s || r.gateway_listened_after_s.median === null) return [];
  const seconds = r.gateway_listened_after_s.median;
  const ok = seconds <= 1;
  return [[
    "a restarted live node listening (its process started from npm start's bundle, during the restart above)",
    "≤ 1 s",
    `${show(r.gateway_listened_after_s, 2, " s")} by its own clock (its \`smartqueue_live_ready_after_seconds\` metric), admitting screens after ${show(r.gateway_admitting_after_s, 2, " s")} (once its broker started and the other nodes list it); a connect from the bench got through after ${show(r.gateway_listening_s, 2, " s")}`,
    verdict(ok),
    ok ? "" : "the new process shares the server core with the queues' node and the database",
  ]];
}

/** Connections dropped for a full accept queue while the screens came back. */
function overflowNote(r: any): string {
  const dropped = r.listen_overflows?.median;
  if (!dropped) return "";
  return `. The kernel dropped ${show(r.listen_overflows, 0)} connections for a full accept queue while screens came back (uWebSockets.js listens with a backlog of 512, not configurable from JavaScript): each of those screens tried again a second later`;
}

function ticketsTargets(t: any): string[][] {
  if (!t) return [];
  const sq = t.smartqueue_issuance.tickets_per_s.median;
  const ceiling = t.ceiling.inserts_per_s.median;
  const naive = t.naive.tickets_per_s.median;
  const fifty = sq !== null && ceiling !== null ? sq >= ceiling / 2 : null;
  const tenX = sq !== null && naive !== null ? sq >= 10 * naive : null;
  const cpuSq = medianOf(t.smartqueue_issuance.cpu_ms_per_ticket);
  const cpuNaive = medianOf(t.naive.cpu_ms_per_ticket);
  const floor = t.http_floor ? ` The same naive server storing nothing (the HTTP floor) answers ${show(t.http_floor.tickets_per_s, 0, "/s")} at ${show(t.http_floor.cpu_ms_per_ticket, 2)} ms of CPU per request (the issuers' core is its limit): the HTTP request itself is not what costs.` : "";
  const journal = `the server core is the limit: SmartQueue spends ${n(cpuSq, 2)} ms of server-side CPU per ticket (node + database) against ${n(cpuNaive, 2)} ms for the naive server and ${n(t.ceiling.cpu_ms_per_insert?.median, 3)} ms per batched insert — the REST gateway (authentication, zod, moleculer-web), the actor call, the journal append, and behind the answer the projector's writes (the ticket's row, its day and citizen views, snapshots); FerretDB (SQLite) spends CPU on every row it reads or writes, and with the database on the same core as the node the projector's writes slow the appends (CPU profiles: docs/bench-runs/2026-12-01-durable-path.md).${floor}`;
  const c = t.call_next_alone;
  const p50 = c.p50_ms.median;
  const p99 = c.p99_ms.median;
  const paced = t.smartqueue_paced;
  const pacedP50 = paced?.call_next_p50_ms.median ?? null;
  const pacedRow = paced
    ? [[
      "call-next p50 ≤ 20 ms while tickets are issued, at half the rate the counters keep up with",
      "≤ 20 ms",
      `${show(paced.call_next_p50_ms, 1, " ms")} (p99 ${show(paced.call_next_p99_ms, 1, " ms")}) with ${n(paced.issued_per_s_asked)} tickets/s issued${pacedAfter(paced)}, half the ${show(t.smartqueue_mixed.calls_per_s, 0, " calls/s")} served under the closed loops; at saturation (${t.options.issuers} issuers in closed loops): p50 ${show(t.smartqueue_mixed.call_next_p50_ms, 1, " ms")}`,
      verdict(pacedP50 === null ? null : pacedP50 <= 20),
      pacedP50 !== null && pacedP50 > 20
        ? `the server core: the node used ${show(paced.node_cpu_share, 2)} of it and the database ${show(paced.database_cpu_share, 2)}; every served ticket's citizen gets their calls and places by in-app message, push and SMS, each message several writes that take the database's one write turn the journal appends wait for`
        : "",
    ]]
    : [];
  return [
    ["durable issuance through the gateway ≥ 50% of the raw batched-insert ceiling", `≥ ${n(ceiling === null ? null : ceiling / 2)}/s`, `${show(t.smartqueue_issuance.tickets_per_s, 0, "/s")} (ceiling ${show(t.ceiling.inserts_per_s, 0, "/s")}, ${ratio(sq, ceiling, 3)})`, verdict(fifty), fifty === false ? journal : ""],
    ["durable issuance ≥ 10× the naive one-insert-per-request server", `≥ ${n(naive === null ? null : naive * 10)}/s`, `${show(t.smartqueue_issuance.tickets_per_s, 0, "/s")} (naive ${show(t.naive.tickets_per_s, 0, "/s")}, ${ratio(sq, naive, 2)})`, verdict(tenX), tenX === false ? "the same per-ticket CPU as above: batching saves database round trips, but on one shared core the work around each ticket dominates" : ""],
    ["call-next p50 ≤ 3 ms and p99 ≤ 10 ms at 1,000 calls/s", "≤ 3 / ≤ 10 ms", `alone: p50 ${show(c.p50_ms, 1, " ms")}, p99 ${show(c.p99_ms, 1, " ms")} at ${show(c.calls_per_s, 0, " calls/s")}; under issuance: p50 ${show(t.smartqueue_mixed.call_next_p50_ms, 1, " ms")}, p99 ${show(t.smartqueue_mixed.call_next_p99_ms, 1, " ms")}`, verdict(p50 !== null && p99 !== null ? p50 <= 3 && p99 <= 10 : null),
      `the database: with calls alone it used ${show(c.database_cpu_share, 2)} of the server core and the node ${show(c.node_cpu_share, 2)} — each call-next, start and complete is a durable commit (one journal insert per group commit); behind the complete the projector appends the ticket's end and its day view's, and the analytics service writes its rollups, who served and the visits in one batch every ANALYTICS_FLUSH_MS, each write a FerretDB transaction on the same core; the 20 counters' loops are closed, so the latency is their concurrency divided by what the core gets through; under issuance the calls queue behind the issuance commits and the notifications the tickets' citizens get (each message several writes of its own: without the notifications service, issuance with agents went from 50 to 155 tickets/s in one run, docs/bench-runs/2026-12-03-durable-writes.md)`],
    ...pacedRow,
  ];
}

function officeDayTargets(d: any): string[][] {
  if (!d?.read_model_lag_p99_ms) return [];
  const lag = d.read_model_lag_p99_ms.median;
  return [["read-model lag p99 ≤ 1 s under the office-day load", "≤ 1,000 ms", show(d.read_model_lag_p99_ms, 0, " ms"), verdict(lag === null ? null : lag <= 1000), ""]];
}

/** Every run that acknowledged tickets looked each one up in the database afterwards. */
function nothingLostTargets(r: BenchResults): string[][] {
  const checked = [r.tickets, r.office_day].filter(Boolean);
  if (checked.length === 0) return [];
  const missing = checked.reduce((sum, part) => sum + part.acknowledged_but_missing, 0);
  return [["nothing lost: every acknowledged ticket is in the database (tickets, naive server, office day)", "0 missing", `${n(missing)} missing`, verdict(missing === 0), ""]];
}

function callsTargets(c: any): string[][] {
  if (!c) return [];
  const rate = c.actor_commands_per_s.median;
  return [["actor commands/s per core, in-process", "≥ 100,000", show(c.actor_commands_per_s, 0, "/s"), verdict(rate === null ? null : rate >= 100_000), ""]];
}

/** The large database against the empty one, measured on the same machine in the same run. */
function historyTargets(h: any): string[][] {
  if (!h) return [];
  const [empty, grown] = [h.sizes[0], h.sizes.at(-1)];
  const size = n(grown.history_tickets);
  const within = (key: string, lowerIsBetter = true) => {
    const [a, b] = [medianOf(empty[key]), medianOf(grown[key])];
    if (a === null || b === null) return null;
    return lowerIsBetter ? b <= 1.5 * a : b >= a / 1.5;
  };
  const keys: Array<[string, string, boolean]> = [
    ["call-next p50", "call_next_p50_ms", true],
    ["issuance (tickets/s)", "tickets_per_s", false],
    ["\"my tickets\" p50", "my_tickets_p50_ms", true],
    // Per 1,000 tickets of the day: the list reads all of today, which each run's issuance
    // rate sizes, while history lies in other days' collections.
    ["staff list of today's tickets p50 per 1,000 tickets of the day", "staff_list_ms_per_1000_tickets", true],
  ];
  const rows = keys.map(([label, key, lower]) => {
    const ok = within(key, lower);
    return [`with ${size} tickets of history: ${label} within 1.5× of the empty database`, "≤ 1.5×", `${show(grown[key], 1)} vs ${show(empty[key], 1)} (${ratio(medianOf(grown[key]), medianOf(empty[key]), 2)})`, verdict(ok), ""];
  });
  const lag = grown.read_model_lag_p99_ms.median;
  rows.push([`read-model lag p99 ≤ 1 s, ${size} tickets of history`, "≤ 1,000 ms", `${show(grown.read_model_lag_p99_ms, 0, " ms")} (empty: ${show(empty.read_model_lag_p99_ms, 0, " ms")})`, verdict(lag === null ? null : lag <= 1000), lag !== null && lag > 1000 ? "sampled while 32 citizens issue back to back on one saturated core: the projector shares the core with the node and the database, and catches up once issuance stops (see the section)" : ""]);
  rows.push([`a SIGKILLed owner's queues served again within 3 s, ${size} tickets of history`, "≤ 3,000 ms", `${n(grown.failover_ms)} ms (empty: ${n(empty.failover_ms)} ms)`, verdict(grown.failover_ms === null ? null : grown.failover_ms <= 3000), ""]);
  return rows;
}

function historySection(h: any): string {
  const [empty, grown] = [h.sizes[0], h.sizes.at(-1)];
  const row = (label: string, key: string, digits = 1) => [label, show(empty[key], digits), show(grown[key], digits), ratio(medianOf(grown[key]), medianOf(empty[key]), 2)];
  return [
    `\`load-tests/history.ts\`: one node (pinned with the database on the server core) with 10 queues × 2 counters, on an empty database and on one holding ${n(grown.history_tickets)} past tickets (another office's year, written with insertMany: read model, day views, citizens' documents and the journal, kept as a template in the cache; plus 100 past tickets of each of the bench's 32 citizens). Each system runs ${empty.rounds.length} rounds of: 32 citizens issuing back to back for 8 s (read-model lag sampled from the node's metrics), the projector catching up, the 20 counters calling, starting and completing for 8 s, then 4 s of "my tickets" and of the staff list of today's tickets (2 clients each). Then a second node joins and the first is SIGKILLed: the failover is the time until the second answers every queue's status.`,
    "",
    table(
      ["measure (median of the rounds, spread)", "empty database", `${n(grown.history_tickets)} tickets of history`, "ratio"],
      [
        row("issuance, tickets/s", "tickets_per_s", 0),
        row("issue p50, ms", "issue_p50_ms"),
        row("call-next alone p50, ms", "call_next_p50_ms"),
        row("call-next alone p99, ms", "call_next_p99_ms"),
        row("call-next alone, calls/s", "calls_per_s", 0),
        row("\"my tickets\" p50, ms", "my_tickets_p50_ms"),
        row("staff list of today p50, ms", "staff_list_p50_ms"),
        row("tickets of today at the staff list (the day it reads)", "staff_list_day_tickets", 0),
        row("staff list p50 per 1,000 tickets of the day, ms", "staff_list_ms_per_1000_tickets"),
        row("read-model lag p99 while issuing, ms", "read_model_lag_p99_ms", 0),
        row("projector caught up after issuance, ms", "projector_caught_up_ms", 0),
        ["failover after SIGKILL, ms", n(empty.failover_ms), n(grown.failover_ms), ratio(grown.failover_ms, empty.failover_ms, 2)],
        ["requests answered 503 (store or request timeout)", n(empty.answered_503), n(grown.answered_503), ""],
      ],
    ),
  ].join("\n");
}

/** A list read beside none and beside many other documents (bench.ts, besideOthers): its target row, within 1.5×. */
function besideOthersTargets(what: string, others: string, r: any): string[][] {
  if (!r) return [];
  const [alone, beside] = [medianOf(r.empty_p50_ms), medianOf(r.with_others_p50_ms)];
  const ok = alone === null || beside === null ? null : beside <= 1.5 * alone && r.failed === 0;
  return [[`${what} beside ${others}: p50 within 1.5× of beside none`, "≤ 1.5×", `${show(r.with_others_p50_ms, 1, " ms")} vs ${show(r.empty_p50_ms, 1, " ms")} (${ratio(beside, alone, 2)}), ${n(r.failed)} failed`, verdict(ok), ""]];
}

function besideOthersTable(others: string, r: any): string {
  return table(
    ["measure (median of the rounds, spread)", "beside none", `beside ${others}`, "ratio"],
    [
      ["p50, ms", show(r.empty_p50_ms, 1), show(r.with_others_p50_ms, 1), ratio(medianOf(r.with_others_p50_ms), medianOf(r.empty_p50_ms), 2)],
      ["p99, ms", show(r.empty_p99_ms, 1), show(r.with_others_p99_ms, 1), ratio(medianOf(r.with_others_p99_ms), medianOf(r.empty_p99_ms), 2)],
      ["reads that failed", "", n(r.failed), ""],
    ],
  );
}

const otherNotifications = (i: any) => `${n(i.other_notifications)} other notifications`;
const pastSlots = (s: any) => `${n(s.other_slots)} past slots`;
const otherAppointments = (a: any) => `${n(a.other_appointments)} other appointments`;
const otherPayments = (p: any) => `${n(p.other_payments)} other payments`;
const yearOfPayments = (p: any) => `${n(p.other_payments)} payments to the organisation over the year`;
const otherDeliveries = (d: any) => `${n(d.other_deliveries)} messages to other citizens`;
const pastAppointments = (a: any) => `${n(a.past_appointments)} past appointments of the organisation`;
const otherTicketsOfTheDay = (l: any) =>
  l.elsewhere === "queues" ? `${n(l.other_tickets_of_the_day)} tickets of ${n(l.other_queues)} other queues of the organisation today` : `${n(l.other_tickets_of_the_day)} tickets of ${n(l.other_organizations)} other organisations today`;

function staffListSection(l: any): string {
  const [list, keptBy] = l.elsewhere === "queues"
    ? ["its agent's first page of one queue's tickets of today (`GET /api/queues/tickets/?page_size=20&queue_id=…`)", "A day's rows are kept under their organisation's and their queue's prefixes and a queue's list reads that range (actors/host/day-rows.ts); under the organisation's alone it read the organisation's whole day: 4,775 ms beside 20,000 of its other queues' tickets, 41.3 ms beside none"]
    : ["its agent's first page of today's tickets (`GET /api/queues/tickets/?page_size=20`)", "A day's rows are kept under their organisation's (then their queue's) prefix and a list reads its organisation's range (actors/host/day-rows.ts); filtered on organization_id it scanned every organisation's day: 45.7 ms beside none, 2,810 ms beside 20,000"];
  return [
    `\`load-tests/staff-list.ts\`: one node (pinned with the database on the server core); an organisation takes ${n(l.tickets_of_the_organisation)} kiosk tickets in one queue through the API, and 2 clients read ${list} back to back, ${l.empty.length} rounds of 4 s. Then ${otherTicketsOfTheDay(l)}, each served (an arrival and an end), are written into today's views as the projector writes them (in ${n(l.seeded_in_s, 1)} s) and the same reads run again. ${keptBy} (docs/bench-runs/2026-12-06-staff-list-by-organisation.md).`,
    "",
    besideOthersTable(otherTicketsOfTheDay(l), l),
  ].join("\n");
}

function inboxSection(i: any): string {
  return [
    `\`load-tests/inbox.ts\`: one node (pinned with the database on the server core). ${i.notifications_per_reader.length} citizens each take ${n(i.tickets_per_reader)} tickets, called, served and thanked, and get ${i.notifications_per_reader.join(", ")} in-app notifications for them; 2 clients read their first inbox page (\`GET /api/notifications/notifications/?page_size=20\`) back to back, ${i.empty.length} rounds of 4 s. Then ${otherNotifications(i)} of 10,000 other citizens are written with insertMany (in ${n(i.seeded_in_s, 1)} s) and the same reads run again. The inbox is read by a range of _ids under the user's prefix (services/notifications/inbox.ts); read by user_id it scanned the collection: 5.1 s a page beside 30,000 other notifications, and a 503 past the request timeout beside 100,000 (docs/bench-runs/2026-12-05-inbox-by-user.md).`,
    "",
    besideOthersTable(otherNotifications(i), i),
  ].join("\n");
}

function myAppointmentsSection(a: any): string {
  return [
    `\`load-tests/my-appointments.ts\`: one node (pinned with the database on the server core); 4 citizens each book ${n(a.appointments_per_reader)} appointments, and 2 clients read "my appointments" (\`GET /api/appointments/my-appointments/\`) back to back, ${a.empty.length} rounds of 4 s. Then ${otherAppointments(a)} of 10,000 other citizens (with their citizens' rows) are written with insertMany (in ${n(a.seeded_in_s, 1)} s) and the same reads run again. A citizen's appointments are read from rows under the citizen's prefix (services/appointments/citizen-appointments.ts); filtered on user_id they scanned every appointment: every read failed with 503 past the 10 s request timeout beside 100,000 (docs/bench-runs/2026-12-05-my-appointments-by-user.md).`,
    "",
    besideOthersTable(otherAppointments(a), a),
  ].join("\n");
}

function staffAppointmentsSection(a: any): string {
  return [
    `\`load-tests/staff-appointments.ts\`: one node (pinned with the database on the server core); 4 citizens book ${n(a.appointments_ahead)} appointments in the days ahead, and 4 clients read an agent's list of them (\`GET /api/appointments/appointments/\`, its default window: today and the slot window ahead) back to back, ${a.empty.length} rounds of 4 s. Then ${pastAppointments(a)}, of 10,000 citizens over the 400 days before, with their rows, are written with insertMany (in ${n(a.seeded_in_s, 1)} s) and the same reads run again. The list reads the rows of its window under the organisation (services/appointments/organization-appointments.ts), then the page's appointments by _id.`,
    "",
    besideOthersTable(pastAppointments(a), a),
  ].join("\n");
}

function myPaymentsSection(p: any): string {
  return [
    `\`load-tests/my-payments.ts\`: one node (pinned with the database on the server core); 4 citizens each have ${n(p.payments_per_reader)} payments (written with their rows, as creation writes them: the bench node has no payment provider), and 2 clients read a citizen's list (\`GET /api/payments/transactions/\`) back to back, ${p.empty.length} rounds of 4 s. Then ${otherPayments(p)} of 10,000 other citizens are written with insertMany (in ${n(p.seeded_in_s, 1)} s) and the same reads run again. A citizen's payments are read from rows under the citizen's prefix (services/payments/citizen-payments.ts); filtered on user_id they scanned every payment: every read failed with 503 past the 10 s request timeout beside 100,000.`,
    "",
    besideOthersTable(otherPayments(p), p),
  ].join("\n");
}

function staffPaymentsSection(p: any): string {
  return [
    `\`load-tests/my-payments.ts\` with \`staff\`: the same node and payments as the citizens' list above; 2 clients read an agent's list of the organisation's payments (\`GET /api/payments/transactions/\`, its default window: the last 7 days) back to back, ${p.empty.length} rounds of 4 s. Then ${yearOfPayments(p)} before that week, of 10,000 citizens, are written with insertMany (in ${n(p.seeded_in_s, 1)} s) and the same reads run again. The list reads the rows of its window under the organisation (services/payments/organization-payments.ts), every one of them for its count, then the page's payments by _id; filtered on organization_id it scanned every payment: every read failed with 503 past the 10 s request timeout beside 100,000.`,
    "",
    besideOthersTable(yearOfPayments(p), p),
  ].join("\n");
}

function settlementSection(p: any): string {
  return [
    `\`load-tests/my-payments.ts\` with \`settlement\`: one node (pinned with the database on the server core), its citizens' ${n(4 * p.payments_per_reader)} payments all made today; 2 clients read an agent's settlement of today (\`GET /api/payments/settlements/\`, CSV) back to back, ${p.empty.length} rounds of 4 s. Then ${yearOfPayments(p)} before that week, of 10,000 citizens, are written with insertMany (in ${n(p.seeded_in_s, 1)} s) and the same reads run again. The report reads the rows of the day's settling transitions under the organisation (services/payments/settlement-rows.ts), then their payments by _id; filtered on organization_id and updated_at it scanned every payment: every read failed with 503 past the 10 s request timeout beside 200,000 (docs/bench-runs/2026-12-06-settlement-rows.md).`,
    "",
    besideOthersTable(yearOfPayments(p), p),
  ].join("\n");
}

function deliveryLogSection(d: any): string {
  return [
    `\`load-tests/delivery-log.ts\`: one node (pinned with the database on the server core); an agent texts ${n(d.texts_of_the_organisation)} numbers (a template, \`POST /api/notifications/send-sms/\`), and 2 clients read the organisation's delivery log (\`GET /api/notifications/deliveries/\`, its default window: the last 7 days) back to back, ${d.empty.length} rounds of 4 s. Then ${otherDeliveries(d)} over the year (what the queues send phone users, with no organisation) are written with insertMany (in ${n(d.seeded_in_s, 1)} s) and the same reads run again. The log reads the rows of its window under the organisation (services/notifications/organization-deliveries.ts), then the page's deliveries by _id; filtered on organization_id it scanned every message logged: every read failed with 503 past the 10 s request timeout beside 100,000 (docs/bench-runs/2026-12-05-delivery-log-rows.md).`,
    "",
    besideOthersTable(otherDeliveries(d), d),
  ].join("\n");
}

function availableSlotsSection(s: any): string {
  return [
    `\`load-tests/available-slots.ts\`: one node (pinned with the database on the server core) with one appointment service of 30-minute slots; 2 clients read its available slots of a day ahead (\`GET /api/appointments/available-slots/\`, ${n(s.slots_of_the_day)} slots) back to back, ${s.empty.length} rounds of 4 s. Then ${pastSlots(s)} of 100 other services, one in two with a booked seat, are written with insertMany (in ${n(s.seeded_in_s, 1)} s) and the same reads run again. A service's slots and seats are read as ranges of their keys (services/appointments/slots/key.ts); by service_id and starts_at they scanned every slot and seat: 7.5 s a read beside 100,000 past slots (docs/bench-runs/2026-12-05-slots-by-key-range.md).`,
    "",
    besideOthersTable(pastSlots(s), s),
  ].join("\n");
}

const table = (head: string[], rows: string[][]) => [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

function displaysSection(displays: DisplaysFigures[], o: DisplaysOptions): string {
  const rows = displays.map((d) => [
    d.label,
    show(d.office_p50_ms, 1),
    show(d.office_p99_ms, 1),
    show(d.office_server_cpu_share, 2),
    show(d.max_deliveries_per_s),
    show(d.max_frames_per_s),
    show(d.max_rate_updates_per_s),
    show(d.max_p99_ms, 1),
    show(d.half_rate_p99_ms, 1),
    show(d.server_cpu_s_per_million, 2),
    show(d.max_server_cpu_share, 2),
    show(d.max_receivers_cpu_share, 2),
    show(d.max_publisher_cpu_share, 2),
    show(d.server_rss_mb, 0),
    show(d.message_bytes),
    `${d.gaps} / ${d.dropped}`,
  ]);
  const sq = displays.find((d) => d.server === "smartqueue");
  const ratios = sq
    ? displays.filter((d) => d !== sq).map((d) => [
        d.label,
        ratio(d.server_cpu_s_per_million.median, sq.server_cpu_s_per_million.median, 2),
        ratio(sq.max_deliveries_per_s.median, d.max_deliveries_per_s.median, 2),
        d.backpressure,
      ])
    : [];
  return [
    `${n(o.sockets)} screens over ${o.queues} queues (${n(o.sockets / o.queues)} per queue), in ${o.receivers} receiver processes. Office load: ${o.officeRate} updates/s for ${o.officeSeconds} s. Ramp: ${o.rampRates.join(", ")} updates/s, ${o.stepSeconds} s each, stopped at the first rate where fewer than 97% of the expected deliveries arrived or a screen was dropped; "max" is the last rate kept up with, "half" is measured at half that rate for ${o.officeSeconds} s. Each window follows a 1 s warm-up. Latency is publish→screen: the publisher stamps \`sent_at\` just before publishing, the receiver subtracts it from its own clock (same machine).`,
    "",
    table(
      ["server", "p50 ms @100/s", "p99 ms @100/s", "server CPU @100/s", "max deliveries/s", "frames/s there", "at updates/s", "p99 ms @max", "p99 ms @half max", "server CPU s / million deliveries", "server CPU @max", "receivers CPU @max", "publisher CPU @max", "server RSS MB with the screens", "B / message", "gaps / dropped"],
      rows,
    ),
    "",
    "CPU columns are shares of one core (1.00 = the core fully busy) from /proc/<pid>/stat; CPU s per million deliveries comes from the highest rate kept up with, where idle costs (pings, timers) weigh least. Memory per idle socket has its own section below. Gaps in the peers' versions can come from two HTTP publishes overtaking each other on the ingress. A delivery is one update reaching one screen: SmartQueue merges the updates of a queue that arrive within one event-loop tick into one message, so at high rates it sends fewer, larger frames than it delivers updates (the frames/s column); the peers send one frame per update.",
    "",
    "Against SmartQueue live (higher is better for SmartQueue):",
    "",
    table(["peer", "its CPU per delivery ÷ SmartQueue's", "SmartQueue's max deliveries/s ÷ its", "its backpressure setting"], ratios),
    "",
    ...displays.map((d) => `- ${d.label}: ${rampLimit(d)}.`),
  ].join("\n");
}

function handOverTargets(r: any): string[][] {
  if (!r) return [];
  const what = `live gateway handed over to a successor on its port: ${n(r.options.screens)} displays back, no update missed`;
  const total = (field: string) => r.runs.reduce((sum: number, run: any) => sum + run[field], 0);
  return restartRow(
    r,
    what,
    () => `socket lost → up to date p99 ${show(r.resync_p99_ms, 0, " ms")}, p50 ${show(r.resync_p50_ms, 0, " ms")} (the old node closed its sockets ${n(r.options.handOverPerSecond)}/s, over ${show(r.gateway_stop_s, 1, " s")}; ${n(total("resumed"))} of ${n(total("resynced"))} screens back resumed without a snapshot); ${n(r.screens_behind_final_version)} screens behind their queue's final version, ${n(r.snapshot_regressions)} older snapshots`,
    () => `screens wait for the server core, ${n((r.runs[0]?.cores?.[0] ?? 0) * 100)}% busy during the hand-over (run 1, all processes: both live nodes, the queues' node, the database and the 50 tickets/s issued share it); a lower WS_HAND_OVER_PER_SECOND spreads them thinner, over a longer stop`,
  );
}

/** From the gateway listening again to the last screen re-synced, per run. */
const afterListening = (r: any) => figure(r.runs.map((run: any) => (run.all_back_s === null ? null : run.all_back_s - run.gateway_restart_s)));

/** Upgrades refused while screens came back, and whether the node behind admission gave way. */
function refusedNote(runs: any[]): string {
  const refused = runs.reduce((sum, run) => sum + Object.values<number>(run.refused_upgrades ?? {}).reduce((a, b) => a + b, 0), 0);
  if (refused === 0) return "";
  const away = runs.filter((run) => run.all_back_s === null).length;
  const attempts = `. ${n(refused)} reconnection attempts were refused (${runs.map((run) => JSON.stringify(run.refused_upgrades)).join(", ")})`;
  if (away === 0) return `${attempts}; every screen came back in every run: the live node admits at most WS_MAX_CONCURRENT_ADMISSIONS screens at once (512 by default, as here), so the accounts and queues node keeps answering its heartbeats`;
  return `${attempts}, and in ${away} of ${runs.length} runs not every screen was back within ${runs[0].all_back_limit_s} s: the accounts and queues node, saturated by admissions, stops answering within the 1 s heartbeat deadline, is declared dead by the live node, and admissions fail outright while screens keep retrying`;
}

const brokeDown = (r: any): string[] => (r.failed_runs.length ? [`${r.failed_runs.length} of ${r.failed_runs.length + r.runs.length} runs broke down and are not in the figures: ${r.failed_runs.map((f: any) => f.failed).join("; ")}.`, ""] : []);

function handOverSection(r: any): string {
  return [
    ...brokeDown(r),
    `The same rig and load, restarted as README's operations section tells an operator to restart a host's only live node: the new process is started on the same port while the old one still serves (uWebSockets.js listens with SO_REUSEPORT), and once it admits sockets (its \`smartqueue_live_admitting\` metric) the old one is stopped with \`WS_HAND_OVER_PER_SECOND=${n(r.options.handOverPerSecond)}\`: it stops listening, then closes its sockets (1001) that many per second while it still hears every change. Each screen comes back through the same port to the new process and resumes from the version it holds.`,
    "",
    table(
      ["run", "new process admitting after (s)", "old process stopping (s)", "last screen back (s)", "socket lost → up to date p50 / p99 / max (ms)", "resumed without a snapshot", "screens behind final version", "older snapshots", "gaps seen"],
      r.runs.map((run: any, i: number) => [String(i + 1), n(run.gateway_listening_s, 2), n(run.gateway_stop_s, 2), run.all_back_s === null ? `not all (${n(run.still_away)} away)` : n(run.all_back_s, 2), `${n(run.resync_p50_ms)} / ${n(run.resync_p99_ms)} / ${n(run.resync_max_ms)}`, `${n(run.resumed)} of ${n(run.resynced)}`, n(run.screens_behind_final_version), n(run.snapshot_regressions), n(run.gaps_seen)]),
    ),
  ].join("\n");
}

function restartSection(r: any): string {
  const o = r.options;
  return [
    ...brokeDown(r),
    `${n(o.screens)} screens over ${o.queues} queues on a node running only the live service; the queues, accounts and REST gateway on a second node (both on the server core, over NATS); ${o.updatesPerSecond} tickets/s issued through REST all along, so every update is durable and every snapshot true. The live node is stopped (SIGTERM: its sockets get 1001) and started again on the same port; each screen retries as the office display page does, after 100 ms, 200 ms, … up to 1 s (+ up to 100 ms jitter), and re-syncs from a fresh snapshot. After the issuing stops, each screen's version is compared with its queue's final version from the REST status.`,
    "",
    table(
      ["run", "nothing listening (s)", "new process listening / admitting after, its clock (s)", "last screen back (s)", "re-admissions/s", "accept-queue drops", "socket lost → snapshot p50 / p99 / max (ms)", "screens behind final version", "older snapshots", "gaps seen"],
      r.runs.map((run: any, i: number) => [String(i + 1), n(run.gateway_restart_s, 2), `${n(run.gateway_listened_after_s, 2)} / ${n(run.gateway_admitting_after_s, 2)}`, run.all_back_s === null ? `not all (${n(run.still_away)} away)` : n(run.all_back_s, 2), n(run.readmissions_per_s), n(run.listen_overflows), `${n(run.resync_p50_ms)} / ${n(run.resync_p99_ms)} / ${n(run.resync_max_ms)}`, n(run.screens_behind_final_version), n(run.snapshot_regressions), n(run.gaps_seen)]),
    ),
  ].join("\n");
}

function ticketsSection(t: any): string {
  const cost = (runs: any[], key: "node" | "database") => {
    const c = runs[0]?.costs?.[key];
    return c ? `${n(c.cpu_share * 100)}% CPU, ${n(c.rss_mb)} MB` : "—";
  };
  return [
    `${t.options.issuers} closed-loop issuers over ${t.options.queues} queues for ${t.options.seconds} s per run; the server (node or naive server) and the database share the server core; the issuers run on the load core. Every acknowledged ticket is looked up in the database after each run.`,
    "",
    table(
      ["scenario", "tickets/s", "issue p50 ms", "issue p99 ms", "server-side CPU ms per ticket", "server process (run 1)", "database (run 1)"],
      [
        ["SmartQueue, issuance only (REST → actor → group commit)", show(t.smartqueue_issuance.tickets_per_s), show(t.smartqueue_issuance.issue_p50_ms, 1), show(t.smartqueue_issuance.issue_p99_ms, 1), show(t.smartqueue_issuance.cpu_ms_per_ticket, 2), cost(t.smartqueue_issuance.runs, "node"), cost(t.smartqueue_issuance.runs, "database")],
        ["SmartQueue, issued while agents call, start and complete", show(t.smartqueue_mixed.tickets_per_s), "", "", "", cost(t.smartqueue_mixed.runs, "node"), cost(t.smartqueue_mixed.runs, "database")],
        ...(t.smartqueue_paced ? [[`SmartQueue, ${n(t.smartqueue_paced.issued_per_s_asked)} tickets/s asked (paced) while agents call, start and complete`, show(t.smartqueue_paced.tickets_per_s), show(t.smartqueue_paced.issue_p50_ms, 1), "", "", cost(t.smartqueue_paced.runs, "node"), cost(t.smartqueue_paced.runs, "database")]] : []),
        ["naive server: one insert per request", show(t.naive.tickets_per_s), "", show(t.naive.issue_p99_ms, 1), show(t.naive.cpu_ms_per_ticket, 2), cost(t.naive.runs, "node"), cost(t.naive.runs, "database")],
        ...(t.http_floor ? [["the naive server storing nothing (HTTP floor)", show(t.http_floor.tickets_per_s), "", "", show(t.http_floor.cpu_ms_per_ticket, 2), cost(t.http_floor.runs, "node"), "—"]] : []),
        [`raw insertMany, batches of 100, 4 in flight (ceiling)`, show(t.ceiling.inserts_per_s), "", "", show(t.ceiling.cpu_ms_per_insert, 3), "", t.ceiling.runs[0]?.database ? `${n(t.ceiling.runs[0].database.cpu_share * 100)}% CPU` : "—"],
      ],
    ),
    "",
    "Where the node's CPU goes while it issues (CPU profiles taken by hand with `--cpu-prof`, not part of the bench): about a third is mongoose, the MongoDB driver and BSON; zod, moleculer-web and the actor are a few per cent each. A fifth used to be `crypto.createPublicKey` inside jsonwebtoken's `verify`, which, given the HS256 secret as a string, tries to parse it as a public key on every call; the secret is now a key object made once (services/accounts/tokens.ts), and verification is about 6% of the queues and accounts node's busy time in the restart benchmark.",
    "",
    `Call-next under the mixed load: p50 ${show(t.smartqueue_mixed.call_next_p50_ms, 1, " ms")}, p99 ${show(t.smartqueue_mixed.call_next_p99_ms, 1, " ms")}, at ${show(t.smartqueue_mixed.calls_per_s, 0, " calls/s")}.${t.smartqueue_paced ? ` With tickets issued at ${n(t.smartqueue_paced.issued_per_s_asked)}/s instead (paced, half the calls/s the closed loops reached; counters with nobody waiting call again after 250 ms, as in the office day${pacedAfter(t.smartqueue_paced)}): p50 ${show(t.smartqueue_paced.call_next_p50_ms, 1, " ms")}, p99 ${show(t.smartqueue_paced.call_next_p99_ms, 1, " ms")}, at ${show(t.smartqueue_paced.calls_per_s, 0, " calls/s")}; node ${show(t.smartqueue_paced.node_cpu_share, 2)} and database ${show(t.smartqueue_paced.database_cpu_share, 2)} of the server core.` : ""} Call-next alone (${t.call_next_alone.options.queues} queues × ${t.call_next_alone.options.countersPerQueue} counters, ${t.call_next_alone.options.backlog} tickets waiting in each, every counter calling, starting and completing back to back): p50 ${show(t.call_next_alone.p50_ms, 1, " ms")}, p99 ${show(t.call_next_alone.p99_ms, 1, " ms")}, at ${show(t.call_next_alone.calls_per_s, 0, " calls/s")}; node ${show(t.call_next_alone.node_cpu_share, 2)} and database ${show(t.call_next_alone.database_cpu_share, 2)} of the server core.${t.call_next_alone.counters_out_of_tickets ? ` In the worst run ${t.call_next_alone.counters_out_of_tickets} counters ran out of tickets before the end, so calls/s undercount.` : ""}`,
  ].join("\n");
}

function officeDaySection(d: any): string {
  const o = d.options;
  return [
    `One node and its database on the server core; for ${o.seconds} s per run: ${o.ticketsPerSecond} tickets/s (60% from kiosks, one in ten of those elderly; 40% from phones), ${o.ticketsPerSecond * 3} status polls/s, two agents per queue over ${o.queues} queues (call, start, ${400} ms of service, complete), ${o.screensPerQueue} screens per queue. Screen latency is commit→screen: \`sent_at\` is stamped by the queue's owner when it publishes the committed change. Appointment check-ins are not in the mix yet.`,
    "",
    table(
      ["measure", "median (spread)"],
      [
        ["tickets issued / served per s", `${show(d.tickets_per_s, 1)} / ${show(d.served_per_s, 1)}`],
        ["status polls per s", show(d.polls_per_s, 1)],
        ["kiosk issue p99 / mobile issue p99", `${show(d.kiosk_p99_ms, 0, " ms")} / ${show(d.mobile_p99_ms, 0, " ms")}`],
        ["status poll p50 / p99", `${show(d.status_p50_ms, 1, " ms")} / ${show(d.status_p99_ms, 0, " ms")}`],
        ["call-next p50 / p99", `${show(d.call_next_p50_ms, 1, " ms")} / ${show(d.call_next_p99_ms, 0, " ms")}`],
        ["read-model lag p50 / p99 (sampled every 200 ms)", `${show(d.read_model_lag_p50_ms, 0, " ms")} / ${show(d.read_model_lag_p99_ms, 0, " ms")}`],
        ["commit→screen p50 / p99", `${show(d.screen_p50_ms, 1, " ms")} / ${show(d.screen_p99_ms, 0, " ms")}`],
        ["node CPU / database CPU (share of the server core)", `${show(d.node_cpu_share, 2)} / ${show(d.database_cpu_share, 2)}`],
        ["failed requests, screen gaps, acknowledged tickets missing", `${n(d.failed_requests)}, ${n(d.screen_gaps)}, ${n(d.acknowledged_but_missing)}`],
      ],
    ),
  ].join("\n");
}

function callsSection(c: any): string {
  const m = c.moleculer;
  return [
    table(
      ["measure", "in-process (one node)", "over NATS (caller on the load core, callee on the server core)"],
      [
        ["one call at a time, mean µs per call", show(m.local_us_per_call, 1), show(m.nats_us_per_call, 0)],
        ["one call at a time, p99", "—", show(m.nats_p99_ms, 2, " ms")],
        ["calls/s with 64 in flight", show(m.local_calls_per_s), show(m.nats_calls_per_s)],
      ],
    ),
    "",
    `The queue actor's state machine alone (load-tests/actor-throughput.ts, no I/O): ${show(c.actor_commands_per_s, 0, " commands/s")} on one core.`,
  ].join("\n");
}

export function renderReport(r: BenchResults): string {
  const m = r.machine;
  const shared = Math.max(...m.load_average_at_start, ...r.load_average_at_end) > 1.2;
  const targets = [...(r.displays ? displaysTargets(r.displays, r.displays_options) : []), ...socketMemoryTargets(r.socket_memory), ...restartTargets(r.restart), ...listeningTargets(r.restart), ...handOverTargets(r.hand_over), ...ticketsTargets(r.tickets), ...historyTargets(r.history), ...besideOthersTargets("a citizen's inbox", r.inbox ? otherNotifications(r.inbox) : "", r.inbox), ...besideOthersTargets("staff's delivery log of the week", r.delivery_log ? otherDeliveries(r.delivery_log) : "", r.delivery_log), ...besideOthersTargets("staff's list of today's tickets", r.staff_list ? otherTicketsOfTheDay(r.staff_list) : "", r.staff_list), ...besideOthersTargets("a queue's list of today's tickets", r.staff_queue_list ? otherTicketsOfTheDay(r.staff_queue_list) : "", r.staff_queue_list), ...besideOthersTargets("a service's available slots of a day", r.available_slots ? pastSlots(r.available_slots) : "", r.available_slots), ...besideOthersTargets("a citizen's appointments", r.my_appointments ? otherAppointments(r.my_appointments) : "", r.my_appointments), ...besideOthersTargets("staff's list of appointments ahead", r.staff_appointments ? pastAppointments(r.staff_appointments) : "", r.staff_appointments), ...besideOthersTargets("a citizen's payments", r.my_payments ? otherPayments(r.my_payments) : "", r.my_payments), ...besideOthersTargets("staff's list of the week's payments", r.staff_payments ? yearOfPayments(r.staff_payments) : "", r.staff_payments), ...besideOthersTargets("an organisation's settlement of today", r.settlement ? yearOfPayments(r.settlement) : "", r.settlement), ...officeDayTargets(r.office_day), ...nothingLostTargets(r), ...callsTargets(r.calls)];
  return [
    "# SmartQueue benchmarks",
    "",
    `Produced by \`npm run bench\`${r.quick ? ` -- --quick --runs ${r.displays_options.runs} --docs: the quick sizes (${n(r.displays_options.sockets)} screens over ${r.displays_options.queues} queues, short windows), not the full 10,000-screen run` : ""} ${m.commit ? `at \`${m.commit}\` ` : ""}on ${m.date.slice(0, 16).replace("T", " ")} UTC in ${r.minutes} minutes. Everything measured is in [BENCHMARKS.json](BENCHMARKS.json).`,
    "",
    `Machine: ${m.cpu_model}, ${m.cores} cores, ${m.memory_gib} GiB, Node ${m.node}, Linux ${m.kernel}, open-file limit ${n(m.open_file_limit)} per process. Load average at start ${m.load_average_at_start.join(" / ")}, at end ${r.load_average_at_end.join(" / ")}${shared ? " — **the machine was shared with other work during the run** (other processes on this machine): figures are noisier and lower than on an idle machine" : ""}.`,
    "",
    "Rig: the server under test on core 0, the load generators and receivers on core 1 (`taskset`), receivers always in processes other than the server's. Every figure is the median of the runs with the spread (min–max) in brackets. CPU and memory of every process come from /proc (utime+stime, VmRSS), except memory per idle socket (its section says how). The load drivers are Node harnesses in `load-tests/`; k6 is not used (see README: its licence, AGPL-3.0, is outside the project's dependency policy).",
    "",
    "## Targets",
    "",
    table(["target", "goal", "measured", "verdict", "what limits it"], targets),
    "",
    ...(r.displays ? ["## Displays: fan-out to screens", "", displaysSection(r.displays, r.displays_options), ""] : []),
    ...(r.socket_memory ? ["## Memory per idle socket", "", socketMemorySection(r.socket_memory), ""] : []),
    ...(r.restart ? ["## Live gateway restart", "", restartSection(r.restart), ""] : []),
    ...(r.hand_over ? ["### Handed over to a successor on the same port", "", handOverSection(r.hand_over), ""] : []),
    ...(r.tickets ? ["## Tickets: durable issuance", "", ticketsSection(r.tickets), ""] : []),
    ...(r.history ? ["## As history grows", "", historySection(r.history), ""] : []),
    ...(r.inbox ? ["### A citizen's inbox as notifications pile up", "", inboxSection(r.inbox), ""] : []),
    ...(r.delivery_log ? ["### Staff's delivery log as messages pile up", "", deliveryLogSection(r.delivery_log), ""] : []),
    ...(r.staff_list ? ["### Staff's list of today as other organisations' days fill up", "", staffListSection(r.staff_list), ""] : []),
    ...(r.staff_queue_list ? ["### A queue's list of today as the organisation's other queues fill up", "", staffListSection(r.staff_queue_list), ""] : []),
    ...(r.available_slots ? ["### The booking page as past slots pile up", "", availableSlotsSection(r.available_slots), ""] : []),
    ...(r.my_appointments ? ["### A citizen's appointments as bookings pile up", "", myAppointmentsSection(r.my_appointments), ""] : []),
    ...(r.staff_appointments ? ["### Staff's list of appointments as the organisation's pile up", "", staffAppointmentsSection(r.staff_appointments), ""] : []),
    ...(r.my_payments ? ["### A citizen's payments as payments pile up", "", myPaymentsSection(r.my_payments), ""] : []),
    ...(r.staff_payments ? ["### Staff's list of payments as the organisation's pile up", "", staffPaymentsSection(r.staff_payments), ""] : []),
    ...(r.settlement ? ["### The settlement report as the organisation's payments pile up", "", settlementSection(r.settlement), ""] : []),
    ...(r.office_day ? ["## Office day: the mix", "", officeDaySection(r.office_day), ""] : []),
    ...(r.calls ? ["## Calls between services, and the actor", "", callsSection(r.calls), ""] : []),
    "## Not measured, and deviations from issue 6",
    "",
    ...(r.quick ? ["- These are the quick sizes, far below the targets' 10,000 screens: `npm run bench` (about 30 minutes) writes the full report over this one."] : []),
    ...(r.socket_memory ? [`- Memory per idle socket is measured up to ${n(r.socket_memory.options.counts.at(-1))} sockets, not 50,000: this machine caps open files at ${n(m.open_file_limit)} per process, so no server process can hold 50,000 sockets.`] : []),
    "- The tickets scenario runs at one load (32 issuers), not a ramp until p99 passes 100 ms; call-next is measured at the rate the counters reach, far below 1,000 calls/s.",
    "- The office-day mix has no appointment check-ins yet (they need booked appointments in generated slots).",
    "- SmartQueue's displays are fed `queue.changed` events from another Moleculer node over NATS (what a queue's owner node broadcasts after each commit), so the fan-out is measured apart from the durable commit; the peers get the same deltas through their HTTP publish endpoints.",
    "",
  ].join("\n");
}
