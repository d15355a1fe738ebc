// A year of an office's history written straight into the database, as it would be after
// about a year of running: every past ticket completed, in the tickets read model, its
// day's view and its citizen's document, and the journal commits that made them (one
// commit per 25 commands, as a busy office's group commits carry). Written with the raw
// driver in batches (insertMany), several at once, because seeding through the API would
// take days. The queues and citizens the bench itself uses may be given some of it, so
// that "my tickets" and activation read what a long-running office has.
// A million tickets take about 20 minutes to write on these machines, so the server's data
// folder is kept as a template in the cache (historyTemplate) and each run starts from a
// copy of it.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import mongoose, { Types } from "mongoose";
import { ensureHostIndexes, hostStore, type TicketDoc } from "../../actors/host/store.ts";
import { dayCollectionName } from "../../actors/host/ticket-views.ts";
import { packedDayRow } from "../../actors/host/day-rows.ts";
import { CITIZEN_TICKETS, citizenRowDoc } from "../../actors/host/citizen-rows.ts";
import { connectMongo } from "../../mixins/db/connection.ts";
import { provideMongo } from "../../scripts/mongo-server.ts";

export interface HistoryOptions {
  tickets: number;
  /** Over how many past days (ending yesterday) the tickets are spread. */
  days: number;
  /** Past queues of the office; the bench's own queues come on top. */
  queues: number;
  /** Citizens the history's mobile tickets belong to (ids); the rest are kiosk tickets. */
  citizens: string[];
  organizationId: string;
  onProgress?: (written: number) => void;
}

const BATCH = 1000;
/** Raised when what seedHistory writes changes, so that older templates are not used. */
const TEMPLATE_FORMAT = 6; // 2: citizens' rows by month; 3: each day's tickets within that day; 4: citizens' rows by ticket (citizen-rows.ts); 5: days' rows by organisation; 6: and by queue (day-rows.ts)
const PAST_CITIZENS = 10_000;
const WRITERS = 4;
const COMMANDS_PER_COMMIT = 25;
const DAY_MS = 86_400_000;

interface Row {
  _id: string;
  queue_id: string;
  organization_id: string;
  branch_id: null;
  number: string;
  day: string;
  status: "completed";
  channel: "mobile" | "kiosk";
  priority: "normal";
  user_id: string | null;
  appointment_id: null;
  appointment_at: null;
  issued_at: number;
  called_at: number;
  started_at: number;
  finished_at: number;
  counter_id: string;
  recalls: 0;
  transferred_from: null;
  reason: null;
  seq: number;
}

/** Writes the history; answers how long it took and what it wrote. */
export async function seedHistory(mongoUrl: string, options: HistoryOptions) {
  const started = performance.now();
  const db = await mongoose.createConnection(mongoUrl).asPromise();
  const queueIds = Array.from({ length: options.queues }, () => new Types.ObjectId().toHexString());
  // Days from midnight (UTC, the days' names), the last of them yesterday, each day's
  // tickets between 8:00 and 18:00. With a fixed 20 s apart from the time of writing, a
  // day's 2,740 ran over 15 hours and the last day's spilled into the day the template was
  // written: for the runs of that day, its "today" held another office's 2,000-odd tickets,
  // which today's staff list read too.
  const firstDay = Math.floor(Date.now() / DAY_MS) * DAY_MS - options.days * DAY_MS;
  const perDay = Math.ceil(options.tickets / options.days);
  const apart = Math.floor((10 * 3_600_000) / perDay);
  const citizensWithHistory = new Set<string>();
  let written = 0;
  let commits = 0;

  const rowAt = (n: number): Row => {
    const day = Math.floor(n / perDay);
    const issued = firstDay + day * DAY_MS + 8 * 3_600_000 + (n % perDay) * apart;
    const queue = queueIds[n % queueIds.length]!;
    const mobile = options.citizens.length > 0 && n % 5 < 3;
    return {
      _id: `${queue}-${new Types.ObjectId().toHexString()}`,
      queue_id: queue,
      organization_id: options.organizationId,
      branch_id: null,
      number: `A-${String(Math.floor((n % perDay) / queueIds.length) + 1).padStart(3, "0")}`,
      day: new Date(issued).toISOString().slice(0, 10),
      status: "completed",
      channel: mobile ? "mobile" : "kiosk",
      priority: "normal",
      user_id: mobile ? options.citizens[n % options.citizens.length]! : null,
      appointment_id: null,
      appointment_at: null,
      issued_at: issued,
      called_at: issued + 600_000,
      started_at: issued + 630_000,
      finished_at: issued + 900_000,
      counter_id: "c1",
      recalls: 0,
      transferred_from: null,
      reason: null,
      seq: Math.floor(n / COMMANDS_PER_COMMIT) + 1,
    };
  };

  /** The journal commits of a batch of rows: each ticket's four commands, 25 per commit. */
  const commitsOf = (rows: Row[], batchIndex: number) => {
    const events = rows.flatMap((row) => {
      const { _id: id, organization_id: _o, branch_id: _b, seq: _s, ...ticket } = row;
      const at = (status: string, extra: object) => ({ ...ticket, id, ...extra, status });
      return [
        { type: "ticket.issued", version: 0, ticket: at("waiting", { called_at: null, started_at: null, finished_at: null, counter_id: null }) },
        { type: "ticket.called", version: 0, ticket: at("called", { started_at: null, finished_at: null }) },
        { type: "ticket.started", version: 0, ticket: at("serving", { finished_at: null }) },
        { type: "ticket.completed", version: 0, ticket: at("completed", {}) },
      ];
    });
    const docs = [];
    for (let i = 0; i < events.length; i += COMMANDS_PER_COMMIT) {
      const seq = batchIndex * Math.ceil((BATCH * 4) / COMMANDS_PER_COMMIT) + i / COMMANDS_PER_COMMIT + 1;
      const queue = queueIds[batchIndex % queueIds.length]!;
      docs.push({
        _id: `${queue}:${seq}`,
        queue_id: queue,
        seq,
        epoch: 1,
        node_id: "history",
        committed_at: new Date(events[i]!.ticket.issued_at),
        state: { queue_id: queue, status: "open", version: seq * COMMANDS_PER_COMMIT, day: events[i]!.ticket.day, sequence: 0 },
        events: events.slice(i, i + COMMANDS_PER_COMMIT),
      });
    }
    return docs;
  };

  const batches = Math.ceil(options.tickets / BATCH);
  let next = 0;
  const writer = async () => {
    for (let b = next++; b < batches; b = next++) {
      const rows = Array.from({ length: Math.min(BATCH, options.tickets - b * BATCH) }, (_, i) => rowAt(b * BATCH + i));
      const byDay = new Map<string, Row[]>();
      for (const row of rows) byDay.set(row.day, [...(byDay.get(row.day) ?? []), row]);
      // The citizens' rows, as the projector keeps them (citizen-rows.ts).
      const ofCitizens = rows.filter((row) => row.user_id);
      for (const row of ofCitizens) citizensWithHistory.add(row.user_id!);
      const citizenRows = ofCitizens.map(citizenRowDoc);
      const journal = commitsOf(rows, b);
      await Promise.all([
        db.collection("tickets").insertMany(rows as never[], { ordered: false }),
        db.collection("queue_commits").insertMany(journal as never[], { ordered: false }),
        ...[...byDay].map(([day, dayRows]) => db.collection(dayCollectionName(day)).insertMany(dayRows.map((row) => packedDayRow(row as TicketDoc)) as never[], { ordered: false })),
        citizenRows.length ? db.collection(CITIZEN_TICKETS).insertMany(citizenRows as never[], { ordered: false }) : null,
      ]);
      written += rows.length;
      commits += journal.length;
      options.onProgress?.(written);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  await db.close();
  return { tickets: written, journal_commits: commits, citizens_with_history: citizensWithHistory.size, days: options.days, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

/**
 * A database data folder holding `tickets` of another organisation's history, written once
 * and kept in the cache; null when the server is not started here (MONGO_URL), where the
 * caller seeds the history itself.
 */
export async function historyTemplate(tickets: number, log: (line: string) => void): Promise<string | null> {
  if (process.env.MONGO_URL) return null;
  const cache = process.env.SMARTQUEUE_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "smartqueue");
  const dir = path.join(cache, `history-${tickets}-v${TEMPLATE_FORMAT}`);
  if (existsSync(path.join(dir, "READY"))) return dir;
  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  log(`writing ${tickets.toLocaleString("en-US")} tickets of history into ${dir} (once; kept for later runs)`);
  const server = await provideMongo({ dataDir: building });
  let shown = 0;
  const seeded = await seedHistory(server.url, {
    tickets,
    days: 365,
    queues: 40,
    citizens: Array.from({ length: PAST_CITIZENS }, () => new Types.ObjectId().toHexString()),
    organizationId: new Types.ObjectId().toHexString(),
    onProgress: (written) => {
      if (written - shown >= tickets / 10) log(`  ${(shown = written).toLocaleString("en-US")} written`);
    },
  })
    .then(async (result) => {
      // The node builds its indexes at start: on a million rows that takes longer than a
      // node may take to become ready, so the template carries them, as a year-old database would.
      const db = await connectMongo(server.url);
      await ensureHostIndexes(hostStore(db)).finally(() => db.close());
      return result;
    })
    .finally(() => server.stop());
  writeFileSync(path.join(building, "READY"), `${JSON.stringify(seeded)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  log(`history written in ${seeded.seconds} s`);
  return dir;
}
