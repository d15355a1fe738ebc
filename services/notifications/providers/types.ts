// What every notification provider adapter offers, whichever protocol it speaks underneath.
// A send either resolves with the provider's id for the message or throws a ProviderError
// (mixins/api/errors.ts) saying whether a retry may help; it never pretends success.
import type { LoggerInstance } from "moleculer";

export interface SendResult {
  /** The provider that took the message (for a fallback pair: the one that actually sent). */
  provider: string;
  provider_message_id: string | null;
}

export interface ProviderHealth {
  ok: boolean;
  detail?: string;
}

export interface SmsMessage {
  /** E.164, e.g. +221771234567 */
  to: string;
  text: string;
  /** Sender name shown on the phone, where the provider allows one. */
  sender?: string;
}

export interface SmsProvider {
  readonly name: string;
  send(message: SmsMessage): Promise<SendResult>;
  health(): Promise<ProviderHealth>;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface EmailProvider {
  readonly name: string;
  send(message: EmailMessage): Promise<SendResult>;
  health(): Promise<ProviderHealth>;
}

export interface PushMessage {
  /** The device's FCM registration token. */
  token: string;
  title: string;
  body: string;
  /** FCM only carries string values in `data`. */
  data?: Record<string, string>;
}

export interface PushProvider {
  readonly name: string;
  send(message: PushMessage): Promise<SendResult>;
  health(): Promise<ProviderHealth>;
}

export type InfoLogger = Pick<LoggerInstance, "info">;
