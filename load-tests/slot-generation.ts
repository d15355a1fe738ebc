// How fast the slot generator plans, in-process, with no I/O: the ceiling under the
// recurring generation job, which also reads services and writes slots. 100 services, each
// with the office defaults (Monday–Friday 9:00–17:00, 30-minute slots) in a spread of zones,
// over a 14-day window. Prints JSON; the median of three runs.
//
//   npx tsx load-tests/slot-generation.ts [services] [days]
import { planSlots, type SlotPlan } from "../services/appointments/slots/generate.ts";
import { DEFAULT_OPENING_HOURS } from "../services/business/opening-hours.ts";

const SERVICES = Number(process.argv[2] ?? 100);
const DAYS = Number(process.argv[3] ?? 14);
const RUNS = 3;
// A Monday; the window crosses Europe's spring clock change on 30 March.
const FROM = new Date(Date.UTC(2025, 2, 24, 6));
const ZONES = ["Africa/Dakar", "Africa/Abidjan", "Africa/Nairobi", "Europe/Paris"];

const plans: SlotPlan[] = Array.from({ length: SERVICES }, (_, n) => ({
  service_id: `svc-${n}`,
  branch_id: `branch-${n % 10}`,
  organization_id: `org-${n % 3}`,
  time_zone: ZONES[n % ZONES.length]!,
  opening_hours: DEFAULT_OPENING_HOURS,
  holidays: ["2025-04-04"],
  slot_minutes: 30,
  capacity: 2,
}));

function run(): { window_ms: number; slots: number; slots_per_s: number } {
  const started = performance.now();
  let slots = 0;
  for (const plan of plans) slots += planSlots(plan, FROM, DAYS).length;
  const window_ms = performance.now() - started;
  return { window_ms, slots, slots_per_s: slots / (window_ms / 1000) };
}

run(); // warm-up: module loading and the JIT, not counted
const runs = Array.from({ length: RUNS }, run);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(JSON.stringify({
  benchmark: "slot-generation",
  services: SERVICES,
  days: DAYS,
  slots_per_window: runs[0]!.slots,
  median_window_ms: Math.round(median(runs.map((r) => r.window_ms)) * 100) / 100,
  median_slots_per_s: Math.round(median(runs.map((r) => r.slots_per_s))),
  runs: runs.map((r) => ({ window_ms: Math.round(r.window_ms * 100) / 100, slots_per_s: Math.round(r.slots_per_s) })),
  node: process.version,
}, null, 2));
