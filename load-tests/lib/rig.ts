// The bench rig: the server under test on one core, everything that loads or watches it
// on the other, and what a process costs read from /proc (CPU time, resident memory), so
// a figure never depends on a clock inside the process being measured.
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";

export const SERVER_CORE = 0;
export const LOAD_CORE = 1;
/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

/** Moves this process (and so every child it starts without taskset) onto the load core. */
export function pinSelfToLoadCore(): void {
  execFileSync("taskset", ["-cp", String(LOAD_CORE), String(process.pid)], { stdio: "ignore" });
}

/** Servers started here: killed when this process exits, however it exits. */
const servers = new Set<ChildProcess>();
process.once("exit", () => servers.forEach((child) => child.kill("SIGKILL")));

/** Starts a program on the server core; taskset execs it, so the child's pid is the program's. */
export function spawnOnServerCore(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn("taskset", ["-c", String(SERVER_CORE), command, ...args], options);
  servers.add(child);
  child.once("exit", () => servers.delete(child));
  return child;
}

/** User + system CPU seconds a process has used so far. */
export function cpuSeconds(pid: number): number {
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
}

/** Resident memory in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

export interface ProcessCost {
  cpu_s: number;
  /** CPU seconds per wall second: 1.0 is one core fully busy. */
  cpu_share: number;
  rss_mb: number;
}

/** CPU used by a process between start() and stop(), and its memory at stop(). */
export function costMeter(pid: number) {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  return {
    stop(): ProcessCost {
      const cpu = cpuSeconds(pid) - cpu0;
      const wall = (performance.now() - t0) / 1000;
      return { cpu_s: round(cpu, 2), cpu_share: round(cpu / wall, 2), rss_mb: round(rssBytes(pid) / 2 ** 20, 1) };
    },
  };
}

/** This machine caps open files per process; socket counts are planned within it. */
export function openFileLimit(): number {
  return Number(execFileSync("bash", ["-c", "ulimit -n"]).toString().trim());
}

/** The commit measured (short hash), null outside a git checkout. */
function checkedOutCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "--short=7", "HEAD"], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  } catch {
    return null;
  }
}

export function machine() {
  return {
    cpu_model: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    kernel: os.release(),
    open_file_limit: openFileLimit(),
    commit: checkedOutCommit(),
    date: new Date().toISOString(),
    load_average_at_start: os.loadavg().map((v) => round(v, 2)),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sockets in TIME_WAIT on this machine (/proc/net/sockstat). */
export function timeWaitSockets(): number {
  return Number(/\btw (\d+)/.exec(readFileSync("/proc/net/sockstat", "utf8"))?.[1] ?? 0);
}

/**
 * Connections the kernel dropped so far because a listening socket's accept queue was full
 * (TcpExt ListenOverflows, the whole machine): each such client tries again a second later.
 */
export function listenOverflows(): number {
  const lines = readFileSync("/proc/net/netstat", "utf8").split("\n").filter((line) => line.startsWith("TcpExt:"));
  const [names, values] = lines.map((line) => line.split(/\s+/));
  const at = names?.indexOf("ListenOverflows") ?? -1;
  return at > 0 ? Number(values?.[at] ?? 0) : 0;
}

/**
 * Waits, up to `limitMs`, until fewer than `below` sockets are in TIME_WAIT; answers how
 * many there were at first. A run of 10,000 screens leaves about 20,000 for a minute; the
 * runs started on top of them were the outliers, the load core 0.94–0.99 busy, most likely
 * their screens' connects slowed by ephemeral ports nearly spent
 * (docs/bench-runs/2026-12-03-restart-admissions.md).
 */
export async function quietSockets(below = 5000, limitMs = 90_000): Promise<number> {
  const first = timeWaitSockets();
  const deadline = Date.now() + limitMs;
  while (timeWaitSockets() >= below && Date.now() < deadline) await sleep(1000);
  return first;
}

export const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Resolves when the child exits (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Asks a child to stop, and kills it if it has not within a few seconds. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited(child);
  clearTimeout(timer);
}

/** Moves a running process, all its threads, onto the server core. */
export function moveToServerCore(pid: number): void {
  execFileSync("taskset", ["-a", "-cp", String(SERVER_CORE), String(pid)], { stdio: "ignore" });
}

/** Resolves once something accepts TCP connections on the port; fails if the child exits first. */
export async function listening(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before listening on ${port}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => (socket.destroy(), resolve(true)));
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new Error(`nothing listens on ${port} after 30 s`);
}

/** Busy and total jiffies of each core so far (/proc/stat), to tell a full core from an idle one. */
function coreTimes(): Array<{ busy: number; total: number }> {
  return readFileSync("/proc/stat", "utf8")
    .split("\n")
    .filter((line) => /^cpu\d+ /.test(line))
    .map((line) => {
      const [user, nice, system, idle, iowait, irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number) as number[];
      const busy = user! + nice! + system! + irq! + softirq! + steal!;
      return { busy, total: busy + idle! + iowait! };
    });
}

/**
 * How busy each core was between start() and stop(), whatever ran on it — the bench's
 * processes or anyone else's: a core near 1.0 was full even if the server's share is low.
 */
export function coreMeter() {
  const before = coreTimes();
  return {
    stop(): number[] {
      return coreTimes().map((after, i) => round((after.busy - before[i]!.busy) / Math.max(1, after.total - before[i]!.total), 2));
    },
  };
}

/** For a load test run as a script (not imported by bench.ts): pinned to the load core, its result printed as JSON with the machine. */
export function runAsScript(moduleUrl: string, run: () => Promise<object>): void {
  if (moduleUrl !== `file://${process.argv[1]}`) return;
  pinSelfToLoadCore();
  run()
    .then((result) => console.log(JSON.stringify({ ...result, machine: machine() }, null, 2)))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
