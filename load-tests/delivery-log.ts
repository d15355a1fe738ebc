// Staff's delivery log as the office's messages pile up. An agent texts 40 kiosk tickets'
// numbers (a template, POST /api/notifications/send-sms/), then reads the organisation's
// log of the last 7 days (GET /api/notifications/deliveries/, its default window), 2
// clients back to back; then the log gets `others` messages to 10,000 citizens (turn near,
// called, thanked: what the queues send a phone user, about three per served ticket, with
// no organisation, the bulk of any log), written with insertMany as the courier writes them,
// and the same reads run again. Each side is read for `rounds` rounds of 4 s. The node and
// the database share the server core.
// Prints JSON: the reads' percentiles of each round on each side, and the ratio of the medians.
//
//   npm run load:delivery-log -- [others=200000] [rounds=3]
import { ObjectId, type MongoClient } from "mongodb";
import { anAgent, anOffice } from "./lib/fixtures.ts";
import { runAsScript } from "./lib/rig.ts";
import { readsBesideOthers, seedInBatches } from "./lib/read-rounds.ts";
import { api, send, withSystemAndClient } from "./lib/system-under-test.ts";
import { deliveryId } from "../services/notifications/delivery.ts";

const TEXTS = 40;
const OTHER_CITIZENS = 10_000;
const BATCH = 1000;
const DELIVERIES = "/api/notifications/deliveries/";
const EVENTS = ["turn_near", "ticket.called", "ticket.served"];

const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] delivery log: ${line}`);

export async function deliveryLogOnce(others: number, rounds = 3) {
  return withSystemAndClient(async ({ baseUrl }, client) => {
    const office = await anOffice(baseUrl, "Banque des textos");
    const agent = await anAgent(baseUrl, office);
    for (let i = 0; i < TEXTS; i++) {
      const to = `+22177${String(1_000_000 + i).padStart(7, "0")}`;
      await send(baseUrl, { method: "POST", path: "/api/notifications/send-sms/", route: "/api/notifications/send-sms/", body: { to, template: "ticket.called", data: { number: `A-${String(i).padStart(3, "0")}`, counter: "Guichet 1" } } }, agent);
    }
    const read = () => api(baseUrl, "GET", DELIVERIES, undefined, agent);
    const seed = () => seedInBatches(others, BATCH, 50_000, log, (from, n) => writeOthers(client, from, n, others));
    return {
      scenario: "an organisation's delivery log of the last 7 days, for its staff",
      texts_of_the_organisation: TEXTS,
      other_deliveries: others,
      ...(await readsBesideOthers(rounds, read, seed, log, `${others.toLocaleString("en-US")} messages to other citizens`)),
    };
  });
}

const users = Array.from({ length: OTHER_CITIZENS }, () => new ObjectId().toHexString());

/** Messages `from`…`from + n` of `count` to other citizens, spread over the year up to now, as the courier writes an SMS to a user. */
async function writeOthers(client: MongoClient, from: number, n: number, count: number): Promise<void> {
  const now = Date.now();
  const docs = Array.from({ length: n }, (_, i) => {
    const k = from + i;
    const user_id = users[k % users.length]!;
    const key = `queue:${new ObjectId().toHexString()}:${EVENTS[k % 3]}`;
    const at = new Date(now - ((count - k) / count) * 365 * 86_400_000);
    return {
      _id: deliveryId("sms", user_id, key, user_id), channel: "sms", event: EVENTS[k % 3]!, idempotency_key: key, user_id, recipient: "+221771234567",
      message: { subject: null, text: "Ticket A-001 : présentez-vous au Guichet 1.", data: null }, status: "sent", attempts: 1, provider: "log", provider_message_id: null,
      last_error: null, error_code: null, history: [], next_attempt_at: null, sent_at: at, organization_id: null, requested_by: null, created_at: at, updated_at: at,
    };
  });
  await client.db().collection<{ _id: string }>("notification_deliveries").insertMany(docs, { ordered: false });
}

runAsScript(import.meta.url, () => deliveryLogOnce(Number(process.argv[2] ?? 200_000), Number(process.argv[3] ?? 3)));
