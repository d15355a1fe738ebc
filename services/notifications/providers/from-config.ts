// The adapters this node sends through, as configured (config.notifications). A channel
// whose provider is not configured has none: its messages are not attempted at all.
import { readFileSync } from "node:fs";
import type { Config } from "../../../config/index.ts";
import { ExpressoSms } from "./expresso-sms.ts";
import { FallbackSms, type SmsAttemptLog } from "./fallback-sms.ts";
import { FcmPush, type ServiceAccount } from "./fcm-push.ts";
import { LogSms } from "./log-sms.ts";
import { OrangeSms } from "./orange-sms.ts";
import { SmtpEmail } from "./smtp-email.ts";
import type { EmailProvider, InfoLogger, PushProvider, SmsProvider } from "./types.ts";

type Settings = Config["notifications"];
type SmsName = NonNullable<Settings["smsProvider"]>;

export interface Providers {
  /** The primary SMS provider, and the fallback tried when it fails. */
  sms: { primary: SmsProvider; fallback?: SmsProvider } | null;
  email: EmailProvider | null;
  push: PushProvider | null;
  close(): void;
}

function smsProvider(name: SmsName, settings: Settings, logger: InfoLogger): SmsProvider {
  const timeoutMs = settings.providerTimeoutMs;
  switch (name) {
    case "orange": {
      const o = settings.orange;
      return new OrangeSms({ baseUrl: o.baseUrl, clientId: o.clientId!, clientSecret: o.clientSecret!, senderAddress: o.senderAddress!, senderName: o.senderName, timeoutMs });
    }
    case "expresso": {
      const e = settings.expresso;
      return new ExpressoSms({ baseUrl: e.baseUrl!, apiKey: e.apiKey!, sender: e.sender, timeoutMs });
    }
    case "log":
      return new LogSms(logger);
  }
}

function readServiceAccount(file: string): ServiceAccount {
  const account = JSON.parse(readFileSync(file, "utf8")) as Partial<ServiceAccount>;
  for (const field of ["project_id", "client_email", "private_key", "token_uri"] as const) {
    if (typeof account[field] !== "string") throw new Error(`FCM_SERVICE_ACCOUNT_FILE ${file} has no ${field}`);
  }
  return account as ServiceAccount;
}

export function providersFrom(settings: Settings, logger: InfoLogger): Providers {
  const primary = settings.smsProvider ? smsProvider(settings.smsProvider, settings, logger) : null;
  const fallback = settings.smsFallbackProvider ? smsProvider(settings.smsFallbackProvider, settings, logger) : undefined;
  const email = settings.smtpUrl ? new SmtpEmail({ url: settings.smtpUrl, from: settings.mailFrom, timeoutMs: settings.providerTimeoutMs }) : null;
  const push = settings.fcmServiceAccountFile
    ? new FcmPush({ serviceAccount: readServiceAccount(settings.fcmServiceAccountFile), baseUrl: settings.fcmBaseUrl, timeoutMs: settings.providerTimeoutMs })
    : null;
  return {
    sms: primary ? { primary, fallback } : null,
    email,
    push,
    close: () => email?.close(),
  };
}

/** The SMS sender for one message: with a fallback, each provider's attempt goes to `log`. */
export function smsSender(sms: NonNullable<Providers["sms"]>, log: SmsAttemptLog): SmsProvider {
  return sms.fallback ? new FallbackSms(sms.primary, sms.fallback, log) : sms.primary;
}
