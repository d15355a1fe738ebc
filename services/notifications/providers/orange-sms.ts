// Orange Developer "SMS API" (SMS Sénégal): an OAuth2 client-credentials token from
// /oauth/v3/token, then one outbound request per message on the sender's address.
import { AccessTokenCache, requestToken } from "../../../mixins/http/access-token.ts";
import { requireE164 } from "./e164.ts";
import { postWithBearer, statusFailure, withoutTrailingSlash, type HttpAnswer } from "../../../mixins/http/provider-request.ts";
import type { ProviderHealth, SendResult, SmsMessage, SmsProvider } from "./types.ts";

export interface OrangeSmsOptions {
  /** https://api.orange.com in production. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** The number of the SMS contract, e.g. +2210000 (with or without the "tel:" prefix). */
  senderAddress: string;
  /** Name shown instead of the number, when the contract has one. */
  senderName?: string;
  timeoutMs?: number;
  now?: () => number;
}

const NAME = "orange";

export class OrangeSms implements SmsProvider {
  readonly name = NAME;
  private readonly base: string;
  private readonly sender: string;
  private readonly timeoutMs: number;
  private readonly tokens: AccessTokenCache;

  constructor(private readonly options: OrangeSmsOptions) {
    this.base = withoutTrailingSlash(options.baseUrl);
    this.sender = options.senderAddress.startsWith("tel:") ? options.senderAddress : `tel:${options.senderAddress}`;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.tokens = new AccessTokenCache(() => this.issueToken(), options.now);
  }

  async send(message: SmsMessage): Promise<SendResult> {
    const to = requireE164(NAME, message.to);
    const senderName = message.sender ?? this.options.senderName;
    const body = {
      outboundSMSMessageRequest: {
        address: `tel:${to}`,
        senderAddress: this.sender,
        ...(senderName ? { senderName } : {}),
        outboundSMSTextMessage: { message: message.text },
      },
    };
    const url = `${this.base}/smsmessaging/v1/outbound/${encodeURIComponent(this.sender)}/requests`;
    const answer = await this.tokens.withToken((token) => postWithBearer(NAME, url, token, body, this.timeoutMs));
    if (answer.status !== 201 && answer.status !== 200) throw statusFailure(NAME, "the SMS request", answer, orangeCode(answer));
    const resourceUrl = (answer.body as { outboundSMSMessageRequest?: { resourceURL?: unknown } } | null)
      ?.outboundSMSMessageRequest?.resourceURL;
    const id = typeof resourceUrl === "string" ? resourceUrl.split("/").filter(Boolean).pop() ?? null : null;
    return { provider: NAME, provider_message_id: id };
  }

  /** Healthy when the provider hands out a token for these credentials. */
  health(): Promise<ProviderHealth> {
    return this.tokens.health();
  }

  private async issueToken() {
    const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString("base64");
    const req = { headers: { authorization: `Basic ${basic}` }, form: { grant_type: "client_credentials" }, timeoutMs: this.timeoutMs };
    return requestToken(NAME, `${this.base}/oauth/v3/token`, req, orangeCode);
  }
}

/** Orange's error bodies: { requestError: { serviceException|policyException: { messageId } } }, or { error } on OAuth. */
function orangeCode(answer: HttpAnswer): string | undefined {
  const b = answer.body as {
    requestError?: { serviceException?: { messageId?: string }; policyException?: { messageId?: string } };
    error?: string;
    code?: number | string;
  } | null;
  return b?.requestError?.serviceException?.messageId ?? b?.requestError?.policyException?.messageId ?? b?.error ?? (b?.code !== undefined ? String(b.code) : undefined);
}
