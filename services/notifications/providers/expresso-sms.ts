// Expresso Sénégal SMS. Expresso publishes no public description of its HTTP API (none could
// be found when this was written), so this adapter speaks a plain JSON shape, to be checked
// against the contract documents Expresso hands to a customer:
//   POST {base}/api/v1/sms/send   X-API-Key: <key>
//   { "to": "+221…", "text": "…", "sender"?: "…" }  →  2xx { "message_id": "…" } (or "id")
// Errors follow HTTP: 4xx the request is refused, 5xx the platform failed.
import { requireE164 } from "./e164.ts";
import { request, statusFailure, withoutTrailingSlash } from "../../../mixins/http/provider-request.ts";
import type { ProviderHealth, SendResult, SmsMessage, SmsProvider } from "./types.ts";

export interface ExpressoSmsOptions {
  baseUrl: string;
  apiKey: string;
  /** Default sender name when a message names none. */
  sender?: string;
  timeoutMs?: number;
}

const NAME = "expresso";

export class ExpressoSms implements SmsProvider {
  readonly name = NAME;
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: ExpressoSmsOptions) {
    this.base = withoutTrailingSlash(options.baseUrl);
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async send(message: SmsMessage): Promise<SendResult> {
    const to = requireE164(NAME, message.to);
    const sender = message.sender ?? this.options.sender;
    const answer = await request(NAME, `${this.base}/api/v1/sms/send`, {
      headers: { "x-api-key": this.options.apiKey },
      json: { to, text: message.text, ...(sender ? { sender } : {}) },
      timeoutMs: this.timeoutMs,
    });
    if (answer.status < 200 || answer.status >= 300) throw statusFailure(NAME, "the SMS request", answer);
    const body = answer.body as { message_id?: unknown; id?: unknown } | null;
    const id = body?.message_id ?? body?.id;
    return { provider: NAME, provider_message_id: typeof id === "string" || typeof id === "number" ? String(id) : null };
  }

  /** Reachability only: any answer below 500 from the API's base means it is up. */
  async health(): Promise<ProviderHealth> {
    try {
      const answer = await request(NAME, `${this.base}/`, { method: "GET", headers: { "x-api-key": this.options.apiKey }, timeoutMs: this.timeoutMs });
      return answer.status < 500 ? { ok: true } : { ok: false, detail: `answered ${answer.status}` };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }
}
