// E-mail and push through the service, end to end: an SMTP server (smtp-server) and a
// stand-in for Google's token endpoint and FCM HTTP v1 receive what a reminder sends.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { anAdministeredOrganization } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { ADMIN } from "../support/system.ts";
import { aKey, deliveriesTo, PUSH_TOKENS, remind, SEND_EMAIL } from "./notification-fixtures.ts";
import { aProviderNode, type ProviderNode } from "./provider-node.ts";
import { json, standIn, type StandIn } from "./stand-in-server.ts";

const SEND_PATH = "/v1/projects/smartqueue-sn/messages:send";
const DEAD_DEVICE = "fcm:dead_device_token_0000000000";

describe("e-mail and push deliveries against an SMTP server and an FCM stand-in", () => {
  let smtp: SMTPServer;
  let google: StandIn;
  let sut: ProviderNode;
  let dir: string;
  const mails: Array<{ to: string[]; raw: string }> = [];

  before(async function () {
    this.timeout(30_000);
    smtp = new SMTPServer({
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    google = await standIn((req) => {
      if (req.path === "/token") return { status: 200, json: { access_token: "ya29.test", expires_in: 3599, token_type: "Bearer" } };
      if (req.path !== SEND_PATH) return { status: 404 };
      if (json(req).message.token === DEAD_DEVICE) {
        return { status: 404, json: { error: { code: 404, status: "NOT_FOUND", details: [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode: "UNREGISTERED" }] } } };
      }
      return { status: 200, json: { name: `projects/smartqueue-sn/messages/0:${google.requests.length}` } };
    });
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    dir = mkdtempSync(path.join(os.tmpdir(), "fcm-"));
    const accountFile = path.join(dir, "service-account.json");
    writeFileSync(accountFile, JSON.stringify({ type: "service_account", project_id: "smartqueue-sn", client_email: "push@smartqueue-sn.iam.gserviceaccount.com", private_key: privateKey, token_uri: `${google.url}/token` }));
    sut = await aProviderNode({
      SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      FCM_SERVICE_ACCOUNT_FILE: accountFile,
      FCM_BASE_URL: google.url,
      PROVIDER_TIMEOUT_MS: "2000",
    });
  });
  after(async () => {
    await sut?.stop();
    await google?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends a reminder to the user's address and devices, and forgets a device FCM no longer knows", async () => {
    const email = `${aKey("awa")}@example.sn`;
    const citizen = await sut.aCitizen({ email, locale: "wo" });
    const as = { token: citizen.access, baseUrl: sut.baseUrl };
    const device = "fcm:live_device_token_1111111111";
    for (const token of [device, DEAD_DEVICE]) assert.equal((await post(PUSH_TOKENS, { token, platform: "android" }, as)).status, 201);
    const result = await remind(citizen.user.id, aKey(), sut.node.broker);
    const byChannel = Object.fromEntries(result.deliveries.map((d: any) => [`${d.channel}:${d.recipient}`, [d.status, d.provider]]));
    assert.deepEqual(byChannel, {
      [`sms:${citizen.user.phone}`]: ["sent", "log"],
      [`email:${email}`]: ["sent", "smtp"],
      [`push:${device}`]: ["sent", "fcm"],
      [`push:${DEAD_DEVICE}`]: ["failed", "fcm"],
    });
    const [mail] = mails.filter((m) => m.to.includes(email));
    assert.match(mail.raw, /^Subject: =\?UTF-8\?Q\?F=C3=A0ttali_ndaje\?=\r?$/m, "the Wolof subject, MIME-encoded");
    assert.ok(mail.raw.includes("Agence Plateau"));
    const push = google.requests.filter((r) => r.path === SEND_PATH).map(json).find((b) => b.message.token === device);
    assert.equal(push.message.notification.title, "Fàttali ndaje");
    assert.match(push.message.notification.body, /^Fàttali: sa ndaje Dépôt ca Agence Plateau/);
    assert.deepEqual([push.message.data.event, push.message.data.notification_id], ["appointment.reminder", result.notification_id]);
    const dead = (await deliveriesTo(citizen.user.id, sut.node.db)).find((d) => d.recipient === DEAD_DEVICE)!;
    assert.equal(dead.error_code, "UNREGISTERED");
    assert.deepEqual((await get(PUSH_TOKENS, as)).body.map((d: any) => d.token), [device]);
  });

  it("sends a staff e-mail from a template", async () => {
    const admin = (await post("/api/accounts/auth/login/", ADMIN, { baseUrl: sut.baseUrl })).body;
    const sent = await post(SEND_EMAIL, { to: "Moussa.Fall@Example.SN", template: "ticket.called", locale: "en", data: { number: "D-003", counter: "Guichet 5" } }, { token: admin.access, baseUrl: sut.baseUrl });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    assert.deepEqual([sent.body.status, sent.body.recipient, sent.body.subject], ["sent", "moussa.fall@example.sn", "It's your turn"]);
    const mail = mails.find((m) => m.to.includes("moussa.fall@example.sn"))!;
    assert.ok(mail.raw.includes("Ticket D-003: please go to Guichet 5."));
  });
});
