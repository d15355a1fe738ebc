// Rounds of one read repeated back to back by 2 clients, 4 s each: the read-side figure of
// the benches that compare a list beside no other documents and beside many (inbox.ts,
// available-slots.ts). A read that fails (a 503 once the request times out) is counted,
// its time kept.
import { closedLoops } from "./closed-loop.ts";
import { Latencies, timed } from "./latency.ts";
import { round } from "./rig.ts";
import { figure } from "./runs.ts";

const READ_SECONDS = 4;
const CLIENTS = 2;

export type ReadRound = ReturnType<Latencies["summary"]> & { failed: number };

export async function readRounds(rounds: number, read: () => Promise<unknown>): Promise<ReadRound[]> {
  const done: ReadRound[] = [];
  for (let r = 0; r < rounds; r++) {
    const latencies = new Latencies();
    let failed = 0;
    const once = () => read().catch(() => void failed++);
    await closedLoops(READ_SECONDS, Array.from({ length: CLIENTS }, () => async () => void (await timed(latencies, once))));
    done.push({ ...latencies.summary(), failed });
  }
  return done;
}

/** The median p50 beside the others over the one beside none. */
export function p50Ratio(alone: ReadRound[], beside: ReadRound[]): number | null {
  const [a, b] = [figure(alone.map((r) => r.p50_ms)).median, figure(beside.map((r) => r.p50_ms)).median];
  return a && b ? round(b / a, 2) : null;
}

/** Rounds of `read` beside none of the others, then `seed` (timed), then rounds beside them. */
export async function readsBesideOthers(rounds: number, read: () => Promise<unknown>, seed: () => Promise<void>, log: (line: string) => void, others: string) {
  log(`${rounds} rounds of reads beside no ${others}`);
  const empty = await readRounds(rounds, read);
  log(`writing ${others}`);
  const started = performance.now();
  await seed();
  const seededIn = (performance.now() - started) / 1000;
  log(`${rounds} rounds of reads beside them`);
  const withOthers = await readRounds(rounds, read);
  return { seeded_in_s: round(seededIn, 1), empty, with_others: withOthers, p50_ratio: p50Ratio(empty, withOthers) };
}

/** `count` documents written `size` at a time by `write(from, n)`, progress logged every `logEvery` written. */
export async function seedInBatches(count: number, size: number, logEvery: number, log: (line: string) => void, write: (from: number, n: number) => Promise<void>): Promise<void> {
  for (let done = 0; done < count; done += size) {
    const n = Math.min(size, count - done);
    await write(done, n);
    if (Math.floor((done + n) / logEvery) > Math.floor(done / logEvery)) log(`${(done + n).toLocaleString("en-US")} written`);
  }
}
