// Staff's list of today's tickets as the day fills up elsewhere. One organisation takes 300
// kiosk tickets in one queue through the API, and its agent reads the first page of a
// list of today (GET /api/queues/tickets/, 20 a page), 2 clients back to back; then
// `others` tickets, each served (its arrival and its end), are written into today's
// views as the projector writes them (writeViews), and the same reads run again. Every
// ticket of a day is in that day's views, so the others are either
// - `organisations`: tickets of 20 other organisations, beside the organisation's list
//   (an office on a platform whose other tenants are busy), or
// - `queues`: tickets of 20 other queues of the same organisation, beside the list of its
//   one queue (`?queue_id=`: an agent's list in a large organisation).
// Each side is read for `rounds` rounds of 4 s. The node and the database share the server core.
// Prints JSON: the reads' percentiles of each round on each side, and the ratio of the medians.
//
//   npm run load:staff-list -- [others=20000] [rounds=3] [organisations|queues]
import { ObjectId, type MongoClient } from "mongodb";
import mongoose from "mongoose";
import { hostStore, type TicketDoc } from "../actors/host/store.ts";
import { dayCollectionName, dayEndsCollectionName, writeViews } from "../actors/host/ticket-views.ts";
import { localDay } from "../actors/queue/numbering.ts";
import { DEFAULT_TIME_ZONE } from "../services/business/opening-hours.ts";
import { anAgent, anOffice, aQueue } from "./lib/fixtures.ts";
import { issueKioskTicket } from "./lib/public-api.ts";
import { runAsScript, sleep } from "./lib/rig.ts";
import { readsBesideOthers, seedInBatches } from "./lib/read-rounds.ts";
import { api, send, withSystemAndClient } from "./lib/system-under-test.ts";

const OWN_TICKETS = 300;
const BATCH = 1000;
const LIST = "/api/queues/tickets/?page_size=20";
export const ELSEWHERE = ["organisations", "queues"] as const;
export type Elsewhere = (typeof ELSEWHERE)[number];
const OTHER_ORGANIZATIONS = Array.from({ length: 20 }, () => new ObjectId().toHexString());
const OTHER_QUEUES = OTHER_ORGANIZATIONS.map(() => new ObjectId().toHexString());

const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] staff list: ${line}`);

export async function staffListOnce(others: number, rounds = 3, elsewhere: Elsewhere = "organisations") {
  return withSystemAndClient(async ({ baseUrl, mongoUrl }, client) => {
    const office = await anOffice(baseUrl, "Agence des listes");
    const agent = await anAgent(baseUrl, office);
    const queue = await aQueue(baseUrl, office, "Accueil");
    for (let i = 0; i < OWN_TICKETS; i++) await send(baseUrl, issueKioskTicket(queue.id), agent);
    await listedAll(baseUrl, agent);
    const list = elsewhere === "queues" ? `${LIST}&queue_id=${queue.id}` : LIST;
    const read = () => api(baseUrl, "GET", list, undefined, agent);
    const owners = elsewhere === "queues" ? OTHER_QUEUES.map((queueId) => ({ organizationId: office.organizationId, queueId })) : OTHER_ORGANIZATIONS.map((organizationId, i) => ({ organizationId, queueId: OTHER_QUEUES[i]! }));
    const seed = async () => {
      const db = await mongoose.createConnection(mongoUrl).asPromise();
      try {
        await seedInBatches(others, BATCH, 5_000, log, (from, n) => writeOthers(db, owners, from, n));
      } finally {
        await db.close();
      }
    };
    return {
      scenario: elsewhere === "queues" ? "a queue's list of today's tickets, for its organisation's staff" : "an organisation's list of today's tickets, for its staff",
      elsewhere,
      tickets_of_the_organisation: OWN_TICKETS,
      other_tickets_of_the_day: others,
      other_organizations: elsewhere === "queues" ? 0 : OTHER_ORGANIZATIONS.length,
      other_queues: elsewhere === "queues" ? OTHER_QUEUES.length : 0,
      ...(await readsBesideOthers(rounds, read, seed, log, `${others.toLocaleString("en-US")} tickets of other ${elsewhere} today`)),
      ...(await countOf(client)),
    };
  });
}

/** Waits until the list counts every ticket the organisation took (the projector writes behind the acknowledgement). */
async function listedAll(baseUrl: string, agent: string): Promise<void> {
  while ((await api(baseUrl, "GET", LIST, undefined, agent)).count < OWN_TICKETS) await sleep(100);
}

/** Tickets `from`…`from + n` of the `owners`' queues in turn, served today: each an arrival and an end, as the projector writes them. */
async function writeOthers(db: mongoose.Connection, owners: Array<{ organizationId: string; queueId: string }>, from: number, n: number): Promise<void> {
  const now = Date.now();
  const day = localDay(now, DEFAULT_TIME_ZONE);
  const arrivals: TicketDoc[] = Array.from({ length: n }, (_, i) => {
    const k = from + i;
    return {
      _id: new ObjectId().toHexString(), seq: k + 1, queue_id: owners[k % owners.length]!.queueId, organization_id: owners[k % owners.length]!.organizationId, branch_id: null,
      number: `A-${String(k).padStart(3, "0")}`, day, status: "waiting", channel: "kiosk", priority: "normal", user_id: null, appointment_id: null, appointment_at: null,
      issued_at: now, called_at: null, started_at: null, finished_at: null, counter_id: null, recalls: 0, transferred_from: null, reason: null,
    };
  });
  const ends = arrivals.map((row) => ({ ...row, seq: row.seq + 1, status: "completed" as const, called_at: now, started_at: now, finished_at: now, counter_id: "Guichet 1" }));
  await writeViews(hostStore(db), { inserted: arrivals, updated: [], ended: ends });
}

/** How many documents today's views hold, to show what the list had beside it. */
async function countOf(client: MongoClient) {
  const today = localDay(Date.now(), DEFAULT_TIME_ZONE);
  const counts = await Promise.all([dayCollectionName(today), dayEndsCollectionName(today)].map(async (name) => [name, await client.db().collection(name).countDocuments()] as const));
  return { day_view_documents: Object.fromEntries(counts) };
}

runAsScript(import.meta.url, () => {
  const elsewhere = process.argv[4] ?? "organisations";
  if (!(ELSEWHERE as readonly string[]).includes(elsewhere)) throw new Error(`the others are in other ${ELSEWHERE.join(" or ")}, not ${elsewhere}`);
  return staffListOnce(Number(process.argv[2] ?? 20_000), Number(process.argv[3] ?? 3), elsewhere as Elsewhere);
});
