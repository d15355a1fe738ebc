// The e-mail adapter against a local SMTP server (smtp-server): what arrives in the
// envelope and the message, and how SMTP refusals are classified.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { SmtpEmail } from "../../services/notifications/providers/smtp-email.ts";
import { rejectsAsProviderError } from "./provider-assertions.ts";
import { refusedUrl } from "./stand-in-server.ts";

interface Received {
  user: string | undefined;
  from: string | false;
  to: string[];
  raw: string;
}

const refusal = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

describe("SMTP e-mail adapter", () => {
  let server: SMTPServer;
  let url: string;
  const received: Received[] = [];
  let refuseRecipient: Error | null = null;

  before(async () => {
    server = new SMTPServer({
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, cb) {
        if (auth.username === "mailer" && auth.password === "m41l-pass") cb(null, { user: auth.username });
        else cb(refusal(535, "5.7.8 Authentication credentials invalid"));
      },
      onRcptTo(_address, _session, cb) {
        cb(refuseRecipient);
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          received.push({
            user: session.user as string | undefined,
            from: session.envelope.mailFrom && session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString("utf8"),
          });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `smtp://mailer:m41l-pass@127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
    refuseRecipient = null;
  });

  const anAdapter = (smtpUrl = url) => new SmtpEmail({ url: smtpUrl, from: "SmartQueue <no-reply@smartqueue.sn>", timeoutMs: 2000 });
  const anEmail = { to: "awa.diop@example.sn", subject: "Appointment confirmed", text: "Your appointment is on Monday at 10:00.", html: "<p>Your appointment is on <b>Monday</b> at 10:00.</p>" };

  it("delivers, authenticated, with the envelope and the text and html parts", async () => {
    const result = await anAdapter().send(anEmail);
    assert.equal(received.length, 1);
    const [mail] = received;
    assert.equal(mail!.user, "mailer");
    assert.equal(mail!.from, "no-reply@smartqueue.sn");
    assert.deepEqual(mail!.to, ["awa.diop@example.sn"]);
    assert.match(mail!.raw, /^From: SmartQueue <no-reply@smartqueue\.sn>\r?$/m);
    assert.match(mail!.raw, /^To: awa\.diop@example\.sn\r?$/m);
    assert.match(mail!.raw, /^Subject: Appointment confirmed\r?$/m);
    assert.match(mail!.raw, /multipart\/alternative/);
    assert.ok(mail!.raw.includes("Your appointment is on Monday at 10:00."));
    assert.ok(mail!.raw.includes("<p>Your appointment is on <b>Monday</b> at 10:00.</p>"));
    assert.equal(result.provider, "smtp");
    assert.ok(mail!.raw.includes(`Message-ID: ${result.provider_message_id}`));
  });

  it("fails for good when the server refuses the recipient with 550", async () => {
    refuseRecipient = refusal(550, "5.1.1 No such user");
    await rejectsAsProviderError(anAdapter().send(anEmail), { provider: "smtp", retryable: false, status: 550 });
    assert.equal(received.length, 0);
  });

  it("fails retryably on a temporary 451 refusal and when the server is down", async () => {
    refuseRecipient = refusal(451, "4.3.0 Try again later");
    await rejectsAsProviderError(anAdapter().send(anEmail), { provider: "smtp", retryable: true, status: 451 });
    const down = (await refusedUrl()).replace("http://", "smtp://");
    await rejectsAsProviderError(anAdapter(down).send(anEmail), { provider: "smtp", retryable: true, status: null });
  });

  it("fails for good on refused credentials", async () => {
    const wrong = url.replace("m41l-pass", "wrong");
    await rejectsAsProviderError(anAdapter(wrong).send(anEmail), { provider: "smtp", retryable: false, status: 535 });
  });

  it("reports itself healthy when the server greets and accepts the credentials", async () => {
    assert.deepEqual(await anAdapter().health(), { ok: true });
    assert.equal((await anAdapter(url.replace("m41l-pass", "wrong")).health()).ok, false);
  });
});
