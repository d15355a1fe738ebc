// The whole path against stand-in providers: Orange SMS as primary and Expresso as
// fallback, each a local HTTP server speaking its protocol. A message that no provider
// takes is retried through the scheduler until one does; none is lost, none is sent twice.
import assert from "node:assert/strict";
import { watchId } from "../../services/notifications/delivery-watches.ts";
import { notificationsStore, type DeliveryDoc } from "../../services/notifications/store.ts";
import { get, post } from "../support/http.ts";
import { ADMIN } from "../support/system.ts";
import { aKey, deliveriesTo, remind, SMS_PROVIDERS, waitFor } from "./notification-fixtures.ts";
import { aProviderNode, type ProviderNode } from "./provider-node.ts";
import { json, standIn, type Recorded, type Reply, type StandIn } from "./stand-in-server.ts";

const SMS_PATH = /^\/smsmessaging\/v1\/outbound\/.+\/requests$/;
/** Who a message was for, as each provider names the recipient. */
const orangeTo = (req: Recorded) => (json(req).outboundSMSMessageRequest.address as string).replace(/^tel:/, "");

describe("notification deliveries against stand-in SMS providers", () => {
  let orange: StandIn;
  let expresso: StandIn;
  let sut: ProviderNode;
  const down: { orange: Reply | null; expresso: Reply | null } = { orange: null, expresso: null };
  /** The numbers each provider accepted a message for (answered 2xx), in order. */
  const accepted = { orange: [] as string[], expresso: [] as string[] };

  before(async function () {
    this.timeout(30_000);
    orange = await standIn((req) => {
      if (req.path === "/oauth/v3/token") return { status: 200, json: { token_type: "Bearer", access_token: "orange-token", expires_in: 3600 } };
      if (!SMS_PATH.test(req.path)) return { status: 404 };
      if (down.orange) return down.orange;
      accepted.orange.push(orangeTo(req));
      return { status: 201, json: { outboundSMSMessageRequest: { resourceURL: `${orange.url}/requests/o-${accepted.orange.length}` } } };
    });
    expresso = await standIn((req) => {
      if (req.method === "GET") return { status: 200, json: { status: "up" } };
      if (down.expresso) return down.expresso;
      accepted.expresso.push(json(req).to);
      return { status: 200, json: { message_id: `e-${accepted.expresso.length}` } };
    });
    sut = await aProviderNode({
      SMS_PROVIDER: "orange",
      ORANGE_SMS_BASE_URL: orange.url,
      ORANGE_SMS_CLIENT_ID: "client",
      ORANGE_SMS_CLIENT_SECRET: "secret",
      ORANGE_SMS_SENDER: "+2210000",
      SMS_FALLBACK_PROVIDER: "expresso",
      EXPRESSO_SMS_BASE_URL: expresso.url,
      EXPRESSO_SMS_API_KEY: "expresso-key",
      PROVIDER_TIMEOUT_MS: "2000",
    });
  });
  after(async () => {
    await sut?.stop();
    await orange?.close();
    await expresso?.close();
  });
  beforeEach(() => {
    down.orange = null;
    down.expresso = null;
  });

  const smsOf = async (userId: string) => (await deliveriesTo(userId, sut.node.db)).filter((d) => d.channel === "sms");
  const remindThere = (userId: string, key: string) => remind(userId, key, sut.node.broker);

  it("sends through Orange while it works", async () => {
    const citizen = await sut.aCitizen();
    const result = await remindThere(citizen.user.id, aKey());
    assert.deepEqual(result.deliveries.map((d: any) => [d.channel, d.status, d.provider]), [["sms", "sent", "orange"]]);
    const [sms] = await smsOf(citizen.user.id);
    assert.match(sms.provider_message_id!, /^o-\d+$/);
    assert.deepEqual(accepted.orange, [citizen.user.phone]);
  });

  it("sends through the fallback when Orange fails, and the log shows both attempts", async () => {
    down.orange = { status: 503, json: { requestError: { serviceException: { messageId: "SVC0005" } } } };
    const citizen = await sut.aCitizen();
    const result = await remindThere(citizen.user.id, aKey());
    assert.deepEqual(result.deliveries.map((d: any) => [d.status, d.provider, d.attempts]), [["sent", "expresso", 1]]);
    const [sms] = await smsOf(citizen.user.id);
    assert.deepEqual(sms.history.map((h) => [h.attempt, h.provider, h.outcome]), [[1, "orange", "failed"], [1, "expresso", "sent"]]);
    assert.match(sms.history[0].error!, /orange: the SMS request answered 503/);
    assert.deepEqual(accepted.expresso, [citizen.user.phone]);
  });

  it("retries through the scheduler while both providers are down, then sends each message exactly once", async function () {
    this.timeout(30_000);
    down.orange = { status: 503 };
    down.expresso = { status: 500 };
    const citizens = await Promise.all([0, 1, 2].map(() => sut.aCitizen()));
    const first = await Promise.all(citizens.map((c) => remindThere(c.user.id, aKey("outage"))));
    for (const r of first) assert.deepEqual(r.deliveries.map((d: any) => [d.status, d.attempts]), [["retrying", 1]]);
    // Let at least one scheduled retry fail too, then bring Orange back.
    await waitFor(async () => (await Promise.all(citizens.map((c) => smsOf(c.user.id)))).every(([d]) => d.attempts >= 2), 10_000, "second attempts");
    down.orange = null;
    const settled = await waitFor(async () => {
      const all = (await Promise.all(citizens.map((c) => smsOf(c.user.id)))).map(([d]) => d);
      return all.every((d) => d.status === "sent") && all;
    }, 15_000, "every message sent");
    // An attempt asked for once the message is sent (a repeated call, a watch come due:
    // see the last test) finds it sent and sends nothing.
    for (const d of settled as DeliveryDoc[]) await sut.node.broker.call("notifications.retryDelivery", { delivery_id: d._id, attempt: d.attempts + 1 });
    for (const d of settled as DeliveryDoc[]) {
      assert.equal(d.provider, "orange");
      assert.ok(d.attempts >= 2 && d.attempts <= 5, `attempts ${d.attempts}`);
      assert.deepEqual(d.history.at(-1)!.outcome, "sent");
      assert.equal(d.history.filter((h) => h.outcome === "sent").length, 1);
      const copies = [...accepted.orange, ...accepted.expresso].filter((to) => to === d.recipient).length;
      assert.equal(copies, 1, `${d.recipient} got ${copies} messages`);
      const answer = await remindThere(d.user_id!, d.idempotency_key);
      assert.deepEqual(answer.deliveries.map((x: any) => [x.id, x.status]), [[d._id, "sent"]], "the same key again answers the delivery made");
    }
    const refusedBeforeBack = orange.requests.filter((r) => SMS_PATH.test(r.path)).length - accepted.orange.length;
    assert.ok(refusedBeforeBack >= 6, "Orange saw each message at least twice while it was down");
    const phones = new Set(citizens.map((c) => c.user.phone));
    assert.equal([...accepted.orange, ...accepted.expresso].filter((to) => phones.has(to)).length, 3, "one message each, no more");
  });

  it("gives up after NOTIFICATION_MAX_ATTEMPTS when the failure persists, and a refused message is not retried", async function () {
    this.timeout(30_000);
    down.orange = { status: 503 };
    down.expresso = { status: 503 };
    const citizen = await sut.aCitizen();
    await remindThere(citizen.user.id, aKey("persisting"));
    const [gaveUp] = await waitFor(async () => {
      const ds = await smsOf(citizen.user.id);
      return ds[0]?.status === "failed" && ds;
    }, 20_000, "the delivery to fail");
    assert.equal(gaveUp.attempts, 5);
    assert.equal(gaveUp.history.length, 10, "each attempt tried both providers");
    down.orange = { status: 400, json: { requestError: { policyException: { messageId: "POL0001" } } } };
    down.expresso = { status: 400 };
    const other = await sut.aCitizen();
    const refused = await remindThere(other.user.id, aKey("refused"));
    assert.deepEqual(refused.deliveries.map((d: any) => [d.status, d.attempts]), [["failed", 1]]);
  });

  it("shows the primary and fallback SMS providers with their live health", async () => {
    const { access: token } = (await post("/api/accounts/auth/login/", ADMIN, { baseUrl: sut.baseUrl })).body;
    const reply = await get(SMS_PROVIDERS, { token, baseUrl: sut.baseUrl });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual(reply.body.map((p: any) => [p.name, p.role, p.healthy]), [["orange", "primary", true], ["expresso", "fallback", true]]);
  });

  it("watches over a first attempt from before it is made until it is settled, and attempts again a delivery stranded by a node that died during it", async () => {
    const store = notificationsStore(sut.node.db);
    const watchesOf = async (deliveryId: string) => (await store.watches.find().lean()).filter((w) => w._id.endsWith(`#${deliveryId}`));
    // Orange holds its answer until the test has seen the watch.
    let answer!: () => void;
    const held = new Promise<void>((resolve) => (answer = resolve));
    down.orange = { status: 201, json: { outboundSMSMessageRequest: { resourceURL: `${orange.url}/requests/held` } }, after: held };
    const citizen = await sut.aCitizen();
    const reminding = remindThere(citizen.user.id, aKey("watched"));
    const [inFlight] = await waitFor(async () => {
      const ds = await smsOf(citizen.user.id);
      return ds.length > 0 && ds;
    }, 5000, "the delivery claimed");
    const [watch] = await waitFor(async () => {
      const ws = await watchesOf(inFlight._id);
      return ws.length > 0 && ws;
    }, 5000, "the watch noted while the attempt is in flight");
    const seenAt = Date.now();
    answer();
    await reminding;
    // Due when a failed attempt 1 would have had attempt 2 (NOTIFICATION_RETRY_DELAY_MS).
    const due = Number(watch._id.split("#")[0]);
    assert.ok(due >= inFlight.created_at.getTime() + 1500 && due <= seenAt + 1500, `due at ${due}, the delivery created at ${inFlight.created_at.getTime()}`);
    await waitFor(async () => (await watchesOf(inFlight._id)).length === 0, 5000, "the watch ended once the delivery was settled");
    const [sent] = await smsOf(citizen.user.id);
    assert.deepEqual([sent.status, sent.attempts], ["sent", 1]);
    const callKeys = sut.node.db.collection<{ _id: string }>("call_keys");
    assert.equal(await callKeys.findOne({ _id: `notifications.retryDelivery:${sent._id}:2` }), null, "nothing entered in the scheduler for a message sent at once");

    // A delivery as a node that died during attempt 1 leaves it: claimed, queued, and its
    // watch, now due.
    down.orange = null;
    const stranded = await sut.aCitizen();
    const id = `stranded-${sent._id}`;
    const { _id, created_at, updated_at, ...fields } = sent;
    await store.deliveries.create({ ...fields, _id: id, user_id: stranded.user.id, recipient: stranded.user.phone, status: "queued", attempts: 0, provider: null, provider_message_id: null, history: [], sent_at: null });
    await store.watches.create({ _id: watchId(Date.now() - 1, id) });
    const [again] = await waitFor(async () => {
      const ds = await smsOf(stranded.user.id);
      return ds[0]?.status === "sent" && ds;
    }, 10_000, "the stranded delivery sent by the sweep");
    assert.deepEqual([again.status, again.attempts], ["sent", 2]);
    await waitFor(async () => (await watchesOf(id)).length === 0, 5000, "its watch ended");
    assert.equal(accepted.orange.filter((to) => to === stranded.user.phone).length, 1, "sent once");
    // A watch that comes due for a delivery already settled sends nothing.
    await store.watches.create({ _id: watchId(Date.now() - 1, sent._id) });
    await waitFor(async () => (await watchesOf(sent._id)).length === 0, 5000, "the settled delivery's watch ended by the sweep");
    assert.equal(accepted.orange.filter((to) => to === stranded.user.phone || to === citizen.user.phone).length, 1, "nothing sent again");
  });
});
