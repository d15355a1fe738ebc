// E-mail through any SMTP relay, with nodemailer. SMTP's own reply codes decide retrying:
// 4xx is a temporary refusal (try later), 5xx a permanent one (bad address, refused sender).
import nodemailer, { type Transporter } from "nodemailer";
import { errors, ProviderError } from "../../../mixins/api/errors.ts";
import type { EmailMessage, EmailProvider, ProviderHealth, SendResult } from "./types.ts";

export interface SmtpEmailOptions {
  /** smtp://user:pass@host:587 or smtps://… ; STARTTLS is used when the server offers it. */
  url: string;
  /** The From header and envelope sender, e.g. "SmartQueue <no-reply@smartqueue.sn>". */
  from: string;
  timeoutMs?: number;
}

const NAME = "smtp";

export class SmtpEmail implements EmailProvider {
  readonly name = NAME;
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpEmailOptions) {
    const timeout = options.timeoutMs ?? 10_000;
    this.transport = nodemailer.createTransport({
      url: options.url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout,
    });
  }

  async send(message: EmailMessage): Promise<SendResult> {
    let info: { messageId?: string; rejected?: unknown[] };
    try {
      info = await this.transport.sendMail({
        from: this.options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
      });
    } catch (err) {
      throw smtpFailure(err);
    }
    if (info.rejected && info.rejected.length > 0) {
      throw errors.providerFailed(NAME, `the server refused ${info.rejected.join(", ")}`, { retryable: false, status: null, providerCode: "rejected" });
    }
    return { provider: NAME, provider_message_id: info.messageId ?? null };
  }

  /** Healthy when the server greets us and accepts our credentials. */
  async health(): Promise<ProviderHealth> {
    try {
      await this.transport.verify();
      return { ok: true };
    } catch (err) {
      return { ok: false, detail: smtpFailure(err).message };
    }
  }

  close(): void {
    this.transport.close();
  }
}

function smtpFailure(err: unknown): ProviderError {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  if (typeof e.responseCode === "number") {
    // 421/450/451/452: the server is busy or short of room now; 5xx: it will never take this.
    return errors.providerFailed(NAME, e.response ?? e.message ?? "refused", {
      retryable: e.responseCode < 500, status: e.responseCode, providerCode: e.code,
    });
  }
  // EAUTH without a reply code, EENVELOPE, EMESSAGE: the request itself is wrong.
  const permanent = e.code === "EAUTH" || e.code === "EENVELOPE" || e.code === "EMESSAGE";
  return errors.providerFailed(NAME, e.message ?? String(err), { retryable: !permanent, status: null, providerCode: e.code });
}
