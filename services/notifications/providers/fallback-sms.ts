// A primary SMS provider backed by a second one. Each message tries the primary first (so a
// primary that comes back is used again at once), and the fallback only when the primary
// failed. A primary that timed out may still have delivered: the fallback's copy is then the
// one duplicate this design accepts, rather than a lost "you are called" message.
import { errors, ProviderError } from "../../../mixins/api/errors.ts";
import type { ProviderHealth, SendResult, SmsMessage, SmsProvider } from "./types.ts";

export interface SmsAttempt {
  provider: string;
  outcome: "sent" | "failed";
  provider_message_id?: string | null;
  error?: string;
  retryable?: boolean;
}

export type SmsAttemptLog = (attempt: SmsAttempt) => void;

export class FallbackSms implements SmsProvider {
  readonly name: string;

  constructor(
    private readonly primary: SmsProvider,
    private readonly fallback: SmsProvider,
    private readonly log: SmsAttemptLog,
  ) {
    this.name = `${primary.name}+${fallback.name}`;
  }

  async send(message: SmsMessage): Promise<SendResult> {
    const first = await this.attempt(this.primary, message);
    if ("result" in first) return first.result;
    const second = await this.attempt(this.fallback, message);
    if ("result" in second) return second.result;
    throw errors.providerFailed(this.name, `${first.error.message}; then ${second.error.message}`, {
      retryable: first.error.retryable || second.error.retryable,
      status: second.error.status ?? first.error.status,
      providerCode: second.error.providerCode ?? first.error.providerCode ?? undefined,
    });
  }

  async health(): Promise<ProviderHealth> {
    const [p, f] = await Promise.all([this.primary.health(), this.fallback.health()]);
    const describe = (name: string, h: ProviderHealth) => `${name}: ${h.ok ? "ok" : "down"}${h.detail ? ` (${h.detail})` : ""}`;
    return { ok: p.ok || f.ok, detail: `${describe(this.primary.name, p)}; ${describe(this.fallback.name, f)}` };
  }

  private async attempt(provider: SmsProvider, message: SmsMessage): Promise<{ result: SendResult } | { error: ProviderError }> {
    try {
      const result = await provider.send(message);
      this.log({ provider: provider.name, outcome: "sent", provider_message_id: result.provider_message_id });
      return { result };
    } catch (err) {
      const error = err instanceof ProviderError
        ? err
        : errors.providerFailed(provider.name, (err as Error)?.message ?? String(err), { retryable: true, status: null });
      this.log({ provider: provider.name, outcome: "failed", error: error.message, retryable: error.retryable });
      return { error };
    }
  }
}
