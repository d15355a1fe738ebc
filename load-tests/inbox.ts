// A citizen's inbox as the office's notifications pile up. Citizens who took tickets (each
// told their turn is near, called and thanked, as a phone user is) read the first page of
// their in-app notifications, GET /api/notifications/notifications/, 2 clients back to back;
// then the collection gets `others` notifications of 10,000 other citizens (written with
// insertMany, as a busy office leaves in a few months: about three per mobile ticket), and
// the same citizens read again. Each side is read for `rounds` rounds of 4 s. The node and
// the database share the server core.
// Prints JSON: the reads' percentiles of each round on each side, and the ratio of the medians.
//
//   npm run load:inbox -- [others=1000000] [rounds=3]
import { MongoClient, ObjectId } from "mongodb";
import { anAgent, anOffice, citizens, someQueues } from "./lib/fixtures.ts";
import { runAsScript, sleep } from "./lib/rig.ts";
import { callNext, completeTicket, issueMobileTicket, startTicket } from "./lib/public-api.ts";
import { seedInBatches, readsBesideOthers } from "./lib/read-rounds.ts";
import { api, send, withSystemAndClient } from "./lib/system-under-test.ts";

const READERS = 4;
const TICKETS_PER_READER = 10;
const OTHER_CITIZENS = 10_000;
const BATCH = 1000;
const INBOX = "/api/notifications/notifications/";

const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] inbox: ${line}`);

export async function inboxOnce(others: number, rounds = 3) {
  return withSystemAndClient(async ({ baseUrl }, client) => {
    const office = await anOffice(baseUrl, "Banque des messages");
    const agent = await anAgent(baseUrl, office);
    const [queue] = await someQueues(baseUrl, office, 1, { counters: 1 });
    const readers = await citizens(baseUrl, READERS);
    for (let t = 0; t < TICKETS_PER_READER; t++) {
      for (const reader of readers) await send(baseUrl, issueMobileTicket(queue!.id), reader);
      for (let r = 0; r < READERS; r++) {
        const called = await send(baseUrl, callNext(queue!.id, queue!.counters[0]!), agent);
        await send(baseUrl, startTicket(called.id), agent);
        await send(baseUrl, completeTicket(called.id), agent);
      }
    }
    const own = await settledInboxes(baseUrl, readers);
    let next = 0;
    const read = () => api(baseUrl, "GET", `${INBOX}?page_size=20`, undefined, readers[next++ % readers.length]);
    const seed = () => seedOthers(client, others);
    return {
      scenario: "a citizen's inbox, first page",
      tickets_per_reader: TICKETS_PER_READER,
      notifications_per_reader: own,
      other_notifications: others,
      ...(await readsBesideOthers(rounds, read, seed, log, `${others.toLocaleString("en-US")} notifications of other citizens`)),
    };
  });
}

/** Notifications are sent behind the queue's changes: waits until every inbox stops growing; answers their sizes. */
async function settledInboxes(baseUrl: string, readers: string[]): Promise<number[]> {
  const sizes = () => Promise.all(readers.map(async (token) => (await api(baseUrl, "GET", `${INBOX}?page_size=1`, undefined, token)).count as number));
  let before = await sizes();
  for (;;) {
    await sleep(500);
    const now = await sizes();
    if (now.every((n, i) => n > 0 && n === before[i])) return now;
    before = now;
  }
}

/** Other citizens' notifications, as the notifications service writes them (user-prefixed ids, services/notifications/inbox.ts). */
async function seedOthers(client: MongoClient, count: number): Promise<void> {
  const users = Array.from({ length: OTHER_CITIZENS }, () => new ObjectId().toHexString());
  const collection = client.db().collection<{ _id: string }>("notifications");
  const at = Date.now();
  await seedInBatches(count, BATCH, 100_000, log, async (from, n) => {
    const docs = Array.from({ length: n }, (_, i) => {
      const k = from + i;
      const user = users[k % users.length]!;
      const position = 1 + (k % 3);
      return {
        _id: `${user.length}:${user}:${new ObjectId().toHexString()}`,
        user_id: user,
        event: "turn_near",
        title: "Votre tour approche",
        body: `Ticket A-${String(k % 1000).padStart(3, "0")} : vous êtes ${position}e, passage dans environ 3 min.`,
        data: { number: "A-001", position, minutes: 3 },
        read_at: null,
        created_at: new Date(at - (count - k) * 30_000),
      };
    });
    await collection.insertMany(docs, { ordered: false });
  });
}

runAsScript(import.meta.url, () => inboxOnce(Number(process.argv[2] ?? 1_000_000), Number(process.argv[3] ?? 3)));
