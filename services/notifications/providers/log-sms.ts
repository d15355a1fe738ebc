// For development only: the message goes to the log and nowhere else, and the provider says
// so in its name. Configuration refuses it in production (config/index.ts).
import { randomUUID } from "node:crypto";
import type { InfoLogger, ProviderHealth, SendResult, SmsMessage, SmsProvider } from "./types.ts";

export class LogSms implements SmsProvider {
  readonly name = "log";

  constructor(private readonly logger: InfoLogger) {}

  async send(message: SmsMessage): Promise<SendResult> {
    const id = `log-${randomUUID()}`;
    this.logger.info(`SMS NOT SENT (log provider) to ${message.to}${message.sender ? ` from ${message.sender}` : ""} [${id}]: ${message.text}`);
    return { provider: this.name, provider_message_id: id };
  }

  async health(): Promise<ProviderHealth> {
    return { ok: true, detail: "development only: messages are written to the log, not sent" };
  }
}
