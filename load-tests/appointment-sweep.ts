// The appointments sweep (every 5 minutes: no-shows, unpaid places given back, reminders
// made sure of) as the offices' appointments pile up: `appointments.sweep` called in-process
// on a node with 40 appointments open in its window, 3 times; then `others` appointments
// that have ended (checked in, no-show, cancelled) are written with insertMany, as a year
// of a network of branches leaves them, and the sweep is called 3 times again.
// Prints JSON: each call's time on each side, and the ratio of the medians.
//
//   npx tsx load-tests/appointment-sweep.ts [others=200000]
import { MongoClient, ObjectId } from "mongodb";
import { openRowId } from "../services/appointments/open-appointments.ts";
import { ownerPrefix } from "../mixins/db/owner-prefix.ts";
import { startDatabase } from "./lib/database.ts";
import { seedInBatches } from "./lib/read-rounds.ts";
import { figure } from "./lib/runs.ts";
import { round } from "./lib/rig.ts";
import { anInProcessNode } from "./lib/in-process-node.ts";

const OTHERS = Number(process.argv[2] ?? 200_000);
const OPEN = 40;
const CALLS = 3;
const HOUR = 3_600_000;
const ENDED = ["checked_in", "no_show", "cancelled"] as const;
const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] sweep: ${line}`);

const database = await startDatabase();
const { node } = await anInProcessNode(database.url, "api,accounts,business,appointments,scheduler");
const client = await new MongoClient(database.url).connect();
try {
  const appointments = client.db().collection<{ _id: string }>("appointments");
  const now = Date.now();
  const anAppointment = (n: number, status: string, startsAt: Date) => {
    const user = new ObjectId().toHexString();
    const slot = `svc-${n % 50}:${startsAt.toISOString()}`;
    return { _id: new ObjectId().toHexString(), slot_id: slot, seat_id: `${slot}#0`, service_id: `svc-${n % 50}`, branch_id: null, organization_id: "org", user_id: user, starts_at: startsAt, ends_at: new Date(startsAt.getTime() + HOUR), status, ticket_id: null, booked_by: user, changes: 0, created_at: startsAt, updated_at: startsAt };
  };
  // Open in the window (starting in the next hours) with the rows booking writes.
  const open = Array.from({ length: OPEN }, (_, n) => anAppointment(n, "booked", new Date(now + (2 + (n % 20)) * HOUR)));
  await appointments.insertMany(open);
  await client.db().collection<{ _id: string }>("open_appointments").insertMany(open.map((doc) => ({ _id: openRowId(doc.starts_at, doc._id) })));
  await client.db().collection<{ _id: string }>("citizen_appointments").insertMany(open.map((doc) => ({ _id: `${ownerPrefix(doc.user_id)}${doc._id}` })));
  const sweeps = async () => {
    const times: number[] = [];
    for (let c = 0; c < CALLS; c++) {
      const started = performance.now();
      await node.broker.call("appointments.sweep", { now: new Date(now).toISOString() }, { timeout: 0 });
      times.push(round(performance.now() - started, 1));
    }
    return times;
  };
  log(`${CALLS} sweeps beside no ended appointment`);
  const alone = await sweeps();
  log(`writing ${OTHERS.toLocaleString("en-US")} ended appointments`);
  const firstStart = now - 400 * 86_400_000;
  await seedInBatches(OTHERS, 1000, 50_000, log, async (from, n) => {
    await appointments.insertMany(Array.from({ length: n }, (_, i) => anAppointment(from + i, ENDED[(from + i) % ENDED.length]!, new Date(firstStart + Math.floor((from + i) / 4) * HOUR))));
  });
  log(`${CALLS} sweeps beside them`);
  const beside = await sweeps();
  const [a, b] = [figure(alone).median, figure(beside).median];
  console.log(JSON.stringify({ benchmark: "appointment-sweep", open: OPEN, ended_appointments: OTHERS, sweep_ms_alone: alone, sweep_ms_beside: beside, ratio: a && b ? round(b / a, 2) : null, node: process.version }, null, 2));
} finally {
  await client.close();
  await node.stop();
  await database.stop();
}
