// How fast slots reach the database: `appointments.generateSlots` (what the recurring job
// calls) over a 14-day window for 100 appointment services on a fresh MongoDB-compatible
// server (MONGO_URL, or a FerretDB started here), then the same call again, which finds
// every slot stored and writes nothing. The planner alone is load-tests/slot-generation.ts.
// Prints JSON.
//
//   npx tsx load-tests/slot-writes.ts [services] [days]
import { startDatabase } from "./lib/database.ts";
import { anOffice } from "./lib/fixtures.ts";
import { anInProcessNode } from "./lib/in-process-node.ts";
import { api } from "./lib/system-under-test.ts";

const SERVICES = Number(process.argv[2] ?? 100);
const DAYS = Number(process.argv[3] ?? 14);
const BRANCHES = 10;

const database = await startDatabase();
// No scheduler: its start-up run would generate at the same time as the measured one.
const { node, baseUrl } = await anInProcessNode(database.url, "api,accounts,business,appointments");
try {
  while ((await fetch(`${baseUrl}/health/ready`).then((r) => r.status, () => 0)) !== 200) await new Promise((r) => setTimeout(r, 100));
  const office = await anOffice(baseUrl, "Mairie de charge", "town_hall");
  const branches = [];
  for (let b = 0; b < BRANCHES; b++) {
    branches.push(await api(baseUrl, "POST", "/api/business/branches/", { organization_id: office.organizationId, name: `Mairie ${b}`, holidays: ["2030-01-01"] }, office.admin));
  }
  for (let s = 0; s < SERVICES; s++) {
    const service = { organization_id: office.organizationId, branch_id: branches[s % BRANCHES].id, name_fr: `Service ${s}`, expected_duration_minutes: 15, appointments_enabled: true, slot_minutes: 30, slot_capacity: 2 };
    await api(baseUrl, "POST", "/api/business/services/", service, office.admin);
  }
  const timed = async () => {
    const started = performance.now();
    const counts = await node.broker.call<{ created: number; kept: number }, object>("appointments.generateSlots", { days: DAYS, from: "2029-12-31T00:00:00Z" }, { timeout: 0 });
    return { ms: Math.round(performance.now() - started), ...counts };
  };
  const first = await timed();
  const again = await timed();
  console.log(JSON.stringify({
    benchmark: "slot-writes",
    services: SERVICES,
    days: DAYS,
    database: process.env.MONGO_URL ? "MONGO_URL" : "started here",
    first_run: { ...first, slots_written_per_s: Math.round(first.created / (first.ms / 1000)) },
    second_run_nothing_to_write: again,
    node: process.version,
  }, null, 2));
} finally {
  await node.stop();
  await database.stop();
}
