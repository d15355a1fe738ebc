// Push through Firebase Cloud Messaging HTTP v1. A service account signs a one-hour JWT
// (RS256) that Google's token endpoint exchanges for an access token; each message is then
// one messages:send call on the project.
import jwt from "jsonwebtoken";
import { errors } from "../../../mixins/api/errors.ts";
import { AccessTokenCache, requestToken } from "../../../mixins/http/access-token.ts";
import { postWithBearer, statusFailure, withoutTrailingSlash, type HttpAnswer } from "../../../mixins/http/provider-request.ts";
import type { ProviderHealth, PushMessage, PushProvider, SendResult } from "./types.ts";

/** The fields of a Google service-account key file that are used here. */
export interface ServiceAccount {
  project_id: string;
  client_email: string;
  private_key: string;
  token_uri: string;
}

export interface FcmPushOptions {
  serviceAccount: ServiceAccount;
  /** https://fcm.googleapis.com unless pointed elsewhere (tests). */
  baseUrl?: string;
  timeoutMs?: number;
  now?: () => number;
}

export const FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
const NAME = "fcm";
const ASSERTION_SECONDS = 3600;

export class FcmPush implements PushProvider {
  readonly name = NAME;
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly tokens: AccessTokenCache;

  constructor(private readonly options: FcmPushOptions) {
    this.base = withoutTrailingSlash(options.baseUrl ?? "https://fcm.googleapis.com");
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.tokens = new AccessTokenCache(() => this.issueToken(), this.now);
  }

  async send(message: PushMessage): Promise<SendResult> {
    const url = `${this.base}/v1/projects/${encodeURIComponent(this.options.serviceAccount.project_id)}/messages:send`;
    const body = {
      message: {
        token: message.token,
        notification: { title: message.title, body: message.body },
        ...(message.data ? { data: message.data } : {}),
      },
    };
    const answer = await this.tokens.withToken((token) => postWithBearer(NAME, url, token, body, this.timeoutMs));
    // UNREGISTERED (404) means the device token is dead: the caller should forget it.
    if (answer.status !== 200) throw statusFailure(NAME, "messages:send", answer, fcmCode(answer));
    const name = (answer.body as { name?: unknown } | null)?.name;
    return { provider: NAME, provider_message_id: typeof name === "string" ? name : null };
  }

  /** Healthy when the provider hands out a token for these credentials. */
  health(): Promise<ProviderHealth> {
    return this.tokens.health();
  }

  private async issueToken() {
    const account = this.options.serviceAccount;
    const iat = Math.floor(this.now() / 1000);
    let assertion: string;
    try {
      assertion = jwt.sign(
        { iss: account.client_email, scope: FCM_SCOPE, aud: account.token_uri, iat, exp: iat + ASSERTION_SECONDS },
        account.private_key,
        { algorithm: "RS256" },
      );
    } catch (err) {
      throw errors.providerFailed(NAME, `the service account's private key cannot sign: ${(err as Error).message}`, { retryable: false, status: null });
    }
    const form = { grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion };
    return requestToken(NAME, account.token_uri, { form, timeoutMs: this.timeoutMs }, fcmCode);
  }
}

/** FCM errors: { error: { status, details: [{ "@type": "…FcmError", errorCode }] } }; OAuth: { error: "invalid_grant" }. */
function fcmCode(answer: HttpAnswer): string | undefined {
  const b = answer.body as { error?: string | { status?: string; details?: Array<{ errorCode?: string }> } } | null;
  if (typeof b?.error === "string") return b.error;
  return b?.error?.details?.find((d) => d.errorCode)?.errorCode ?? b?.error?.status;
}
