// What a node with nothing to do costs: the CPU of the node and of its database while no
// request comes, as in an office at night. What remains is housekeeping (the scheduler's
// polls, caches, metrics), and on FerretDB every poll that writes waits in the same write
// turn as a ticket's journal insert.
// `npm run load:idle -- [seconds=30]`; JSON on stdout.
import { costMeter, machine, sleep } from "./lib/rig.ts";
import { startSystemUnderTest } from "./lib/system-under-test.ts";

export async function idleOnce(seconds: number) {
  if (!(seconds > 0)) throw new Error(`seconds must be a positive number, not ${seconds}`);
  const sut = await startSystemUnderTest({}, { onServerCore: true, databaseOnServerCore: true });
  try {
    // Past the start's own work (indexes, seeds, first runs of the recurring jobs).
    await sleep(5000);
    const node = costMeter(sut.server.pid!);
    const database = sut.databasePid ? costMeter(sut.databasePid) : null;
    await sleep(seconds * 1000);
    return { scenario: "an idle node", seconds, costs: { node: node.stop(), database: database?.stop() ?? null }, machine: machine() };
  } finally {
    await sut.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await idleOnce(Number(process.argv[2] ?? 30)), null, 1));
  process.exit(0);
}
