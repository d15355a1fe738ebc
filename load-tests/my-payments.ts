// Payments lists as payments pile up: citizens read their list (GET
// /api/payments/transactions/), or, with `staff`, an agent reads the organisation's of the
// last 7 days (its default window), or, with `settlement`, the organisation's settlement
// of today (GET /api/payments/settlements/, its citizens' payments all made today), 2
// clients back to back; then the organisation gets `others` payments of 10,000 other
// citizens over the year before that week (with their rows, services/payments/
// citizen-payments.ts, organization-payments.ts, settlement-rows.ts), written with
// insertMany as a year of mobile-money payments leaves them, and the same reads run again.
// Each side is read for `rounds` rounds of 4 s. The node and the database share the server
// core. The citizens' own payments are written the same way (the bench node has no
// payment provider to pay through).
// Prints JSON: the reads' percentiles of each round on each side, and the ratio of the medians.
//
//   npm run load:my-payments -- [others=200000] [rounds=3] [citizen|staff|settlement]
import { ObjectId, type MongoClient } from "mongodb";
import { anAgent, anOffice, citizens } from "./lib/fixtures.ts";
import { runAsScript } from "./lib/rig.ts";
import { readsBesideOthers, seedInBatches } from "./lib/read-rounds.ts";
import { api, apiText, withSystemAndClient } from "./lib/system-under-test.ts";
import { ownerRowId } from "../mixins/db/owner-rows.ts";
import { organizationPaymentRowId } from "../services/payments/organization-payments.ts";
import { settlementRowsOf } from "../services/payments/settlement-rows.ts";
import type { Transition } from "../services/payments/transaction-machine.ts";

const READERS = 4;
const PAYMENTS_PER_READER = 10;
const OTHER_CITIZENS = 10_000;
const BATCH = 1000;
const DAY = 86_400_000;

const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] my payments: ${line}`);

/** The user a token was given to: its `sub`. */
const userOf = (token: string): string => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).sub;

export const PAYMENTS_READERS = ["citizen", "staff", "settlement"] as const;
export type PaymentsReader = (typeof PAYMENTS_READERS)[number];

const SCENARIOS: Record<PaymentsReader, string> = {
  citizen: "a citizen's payments",
  staff: "an organisation's payments of the last 7 days, for its staff",
  settlement: "an organisation's settlement of today, for its staff",
};

export async function myPaymentsOnce(others: number, rounds = 3, reader: PaymentsReader = "citizen") {
  return withSystemAndClient(async ({ baseUrl }, client) => {
    const office = await anOffice(baseUrl, "Senelec des paiements");
    const readers = await citizens(baseUrl, READERS);
    const owners = readers.flatMap((token) => Array.from({ length: PAYMENTS_PER_READER }, () => userOf(token)));
    // The settlement's are today's; the lists', spread over the last year.
    await writePayments(client, owners, office.organizationId, 0, reader === "settlement" ? 1 : 365);
    const agent = reader === "citizen" ? null : await anAgent(baseUrl, office);
    const path = reader === "settlement" ? "/api/payments/settlements/" : "/api/payments/transactions/";
    let next = 0;
    // The settlement is CSV: its text, not JSON.
    const read = () => (reader === "settlement" ? apiText : api)(baseUrl, "GET", path, undefined, agent ?? readers[next++ % readers.length]);
    const users = Array.from({ length: OTHER_CITIZENS }, () => new ObjectId().toHexString());
    // The others' are history: made in the year before the staff list's default week.
    const seed = () => seedInBatches(others, BATCH, 50_000, log, (from, n) => writePayments(client, Array.from({ length: n }, (_, i) => users[(from + i) % users.length]!), office.organizationId, 8));
    return {
      scenario: SCENARIOS[reader],
      payments_per_reader: PAYMENTS_PER_READER,
      other_payments: others,
      ...(await readsBesideOthers(rounds, read, seed, log, `${others.toLocaleString("en-US")} payments of other citizens`)),
    };
  });
}

/** A succeeded payment of each user, on one of the `spreadDays` days from `daysAgo` back, with its rows, as creation and success write them. */
async function writePayments(client: MongoClient, users: string[], organizationId: string, daysAgo = 0, spreadDays = 365): Promise<void> {
  const now = Date.now();
  const docs = users.map((user_id, i) => {
    const at = new Date(now - (daysAgo + ((i * 7919) % spreadDays)) * DAY);
    const history: Transition[] = [{ from: "created", to: "pending", cause: "user", at: at.toISOString() }, { from: "pending", to: "succeeded", cause: "webhook", at: at.toISOString() }];
    return {
      _id: `pay_${new ObjectId().toHexString()}`, organization_id: organizationId, user_id, service_id: null, appointment_id: null, method: "wave", amount: 5000, currency: "XOF",
      phone: "+221771234567", description: "Facture", status: "succeeded", refunded: 0, refunding: 0, version: 2, history, provider_ref: null, redirect_url: null,
      secrets: {}, idempotency_key: null, created_at: at, updated_at: at, started_at: at,
    };
  });
  const db = client.db();
  await db.collection<{ _id: string }>("organization_settlements").insertMany(docs.flatMap((doc) => settlementRowsOf(doc, doc.history)), { ordered: false });
  await db.collection<{ _id: string }>("citizen_payments").insertMany(docs.map((doc) => ({ _id: ownerRowId(doc.user_id, doc._id) })), { ordered: false });
  await db.collection<{ _id: string }>("organization_payments").insertMany(docs.map((doc) => ({ _id: organizationPaymentRowId(doc), user_id: doc.user_id, method: doc.method, service_id: null })), { ordered: false });
  await db.collection<{ _id: string }>("payment_transactions").insertMany(docs, { ordered: false });
}

runAsScript(import.meta.url, () => {
  const reader = process.argv[4] ?? "citizen";
  if (!(PAYMENTS_READERS as readonly string[]).includes(reader)) throw new Error(`the reader is ${PAYMENTS_READERS.join(", ")}, not ${reader}`);
  return myPaymentsOnce(Number(process.argv[2] ?? 200_000), Number(process.argv[3] ?? 3), reader as PaymentsReader);
});
