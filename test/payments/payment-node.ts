// A SmartQueue node whose three payment methods speak to the stand-ins, in a database of
// its own (its reconciliation sees only its own payments), with the people and the
// fee-bearing service a payment test needs.
import assert from "node:assert/strict";
import { aProviderNode, type ProviderNode } from "../notifications/provider-node.ts";
import { PASSWORD, aPhone, type Session } from "../support/fixtures.ts";
import { call, post, type Reply } from "../support/http.ts";
import { ADMIN } from "../support/system.ts";
import { listenToPayments, type Heard } from "./payment-events.ts";
import { aPayTech, anOrangeMoney, aWave, ORANGE, PAYTECH, WAVE, type Delivery } from "./provider-stand-ins.ts";

export async function aPaymentNode(env: Record<string, string> = {}) {
  const [wave, orange, paytech] = await Promise.all([aWave(), anOrangeMoney(), aPayTech()]);
  const node: ProviderNode = await aProviderNode({
    PAYMENT_METHODS: "wave,orange_money,free_money",
    PAYMENT_MAX_AMOUNT_XOF: "500000",
    PAYMENT_RECONCILE_EVERY_SECONDS: "1",
    PAYMENT_VERIFY_BACKOFF_SECONDS: "1",
    PROVIDER_TIMEOUT_MS: "1000",
    WAVE_BASE_URL: wave.server.url, WAVE_API_KEY: WAVE.apiKey, WAVE_WEBHOOK_SECRET: WAVE.webhookSecret,
    ORANGE_MONEY_BASE_URL: orange.server.url, ORANGE_MONEY_CLIENT_ID: ORANGE.clientId, ORANGE_MONEY_CLIENT_SECRET: ORANGE.clientSecret,
    ORANGE_MONEY_MERCHANT_KEY: ORANGE.merchantKey, ORANGE_MONEY_COUNTRY: "dev", ORANGE_MONEY_CURRENCY: "OUV",
    FREE_MONEY_BASE_URL: paytech.server.url, FREE_MONEY_API_KEY: PAYTECH.apiKey, FREE_MONEY_API_SECRET: PAYTECH.apiSecret, FREE_MONEY_ENV: "test",
    ...env,
  });
  const { baseUrl } = node;
  const as = (who: Session) => ({ token: who.access, baseUrl });
  const login = async (phone: string, password: string): Promise<Session> => {
    const reply = await post("/api/accounts/auth/login/", { phone, password }, { baseUrl });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return { ...reply.body, password };
  };
  const admin = await login(ADMIN.phone, ADMIN.password);
  const created = async (path: string, body: unknown, by: Session = admin) => {
    const reply = await post(path, body, as(by));
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return reply.body;
  };
  const aStaffMember = async (role: "agent" | "org_admin", organizationId: string) => {
    const phone = aPhone();
    await created("/api/accounts/users/", { phone, password: PASSWORD, role, organization_id: organizationId });
    return login(phone, PASSWORD);
  };
  /** An organisation with its admin, an agent and a service with a fee. */
  const anOffice = async (fee = 5000) => {
    const org = await created("/api/business/organizations/", { name: `Banque ${aPhone().slice(-6)}`, type: "bank" });
    const orgAdmin = await aStaffMember("org_admin", org.id);
    const service = await created("/api/business/services/", { organization_id: org.id, name_fr: "Ouverture de compte", name_en: "Account opening", expected_duration_minutes: 10, fee_xof: fee }, orgAdmin);
    return { org, admin: orgAdmin, agent: await aStaffMember("agent", org.id), service };
  };
  return {
    node, wave, orange, paytech, baseUrl, as, anOffice, created,
    aCitizen: () => node.aCitizen(),
    /** Posts a notification as the provider would: its raw body, its headers. */
    deliver: (delivery: Delivery) => call("POST", delivery.path, undefined, { baseUrl, raw: delivery.body, headers: delivery.headers }),
    pay: (who: Session, body: Record<string, unknown>, headers: Record<string, string> = {}) => post("/api/payments/process-payment/", body, { ...as(who), headers }),
    transaction: async (who: Session, id: string) => (await call("GET", `/api/payments/transactions/${id}/`, undefined, as(who))) as Reply,
    async stop() {
      await node.stop();
      await Promise.all([wave.server.close(), orange.server.close(), paytech.server.close()]);
    },
  };
}

export type PaymentNode = Awaited<ReturnType<typeof aPaymentNode>>;
export type Office = Awaited<ReturnType<PaymentNode["anOffice"]>>;

/**
 * For a describe block: a payment node (with `env`) started before its tests and stopped
 * after, the payment events it emits, an office whose service costs 5,000 XOF, another
 * office (2,000 XOF), a citizen.
 */
export function withAPaymentNode(env: Record<string, string> = {}) {
  const given = {} as { sut: PaymentNode; heard: Heard; office: Office; otherOffice: Office; citizen: Session };
  before(async function () {
    this.timeout(60_000);
    given.sut = await aPaymentNode(env);
    given.heard = await listenToPayments(given.sut.node.node.broker);
    [given.office, given.otherOffice] = await Promise.all([given.sut.anOffice(5000), given.sut.anOffice(2000)]);
    given.citizen = await given.sut.aCitizen();
  });
  after(() => given.sut?.stop());
  return given;
}
