// The export's packing pass (scheduled: analytics.packExportDays): every closed day that
// has ticket views and no finished packs is packed (actors/host/day-packs.ts), oldest
// first. A pass starts no new day once its budget is spent; the next pass goes on.
import type { LoggerInstance } from "moleculer";
import type { Connection } from "mongoose";
import { packableDay } from "../../actors/host/day-pack-manifests.ts";
import { packDay, packedDay } from "../../actors/host/day-packs.ts";
import { csvLines, CURSOR_BATCH } from "./ticket-export.ts";

const DAY_VIEW = /^tickets_by_org_day_(\d{4})_(\d{2})_(\d{2})(?:_ends)?$/;
/** A pass starts no day after this long (a million-row day takes minutes on FerretDB). */
const PASS_BUDGET_MS = 10 * 60_000;

/** The closed days with ticket views, oldest first. */
async function closedDays(db: Connection, now: number): Promise<string[]> {
  const names = await db.db!.listCollections({}, { nameOnly: true }).toArray();
  const days = names.flatMap(({ name }) => {
    const match = DAY_VIEW.exec(name);
    return match ? [`${match[1]}-${match[2]}-${match[3]}`] : [];
  });
  return [...new Set(days)].filter((day) => packableDay(day, now)).sort();
}

export async function packExportDays(db: Connection, logger: LoggerInstance, now = Date.now()): Promise<{ packed: string[]; rows: number }> {
  const started = Date.now();
  const result = { packed: [] as string[], rows: 0 };
  for (const day of await closedDays(db, now)) {
    if (Date.now() - started > PASS_BUDGET_MS) break;
    if (await packedDay(db, day)) continue;
    const rows = await packDay(db, day, csvLines, CURSOR_BATCH);
    if (rows === null) {
      logger.info(`export packing: ${day} was written to while packed; packed again at the next pass`);
      continue;
    }
    result.packed.push(day);
    result.rows += rows;
  }
  if (result.packed.length) logger.info(`export packing: ${result.rows} rows of ${result.packed.join(", ")} packed`);
  return result;
}
