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

/** A provider of one channel: it sends that channel's messages and says whether it can. */
export interface Provider<Message> {
  readonly name: string;
  send(message: Message): Promise<SendResult>;
  health(): Promise<ProviderHealth>;
}

export interface SmsMessage {
  /** E.164, e.g. +221771234567 */
  to: string;
  text: string;
  /** Sender name shown on the phone, where the provider allows one. */
  sender?: string;
}

export type SmsProvider = Provider<SmsMessage>;

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export type EmailProvider = Provider<EmailMessage>;

export interface PushMessage {
  /** The device's FCM registration token. */
  token: string;
  title: string;
  body: string;
  /** FCM only carries string values in `data`. */
  data?: Record<string, string>;
}

export type PushProvider = Provider<PushMessage>;

export type InfoLogger = Pick<LoggerInstance, "info">;
