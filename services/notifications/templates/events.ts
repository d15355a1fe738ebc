// The events the system itself notifies about, with the placeholders each one provides.
// A template saved for one of these keys may use only these placeholders, with these types;
// a template under any other key (for staff sends) declares its own.
import type { Placeholders } from "./placeholders.ts";

export const CHANNELS = ["sms", "email", "push", "in_app"] as const;
export type Channel = (typeof CHANNELS)[number];

export const LOCALES = ["fr", "en", "wo"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "fr";

export const SYSTEM_EVENTS = {
  "ticket.called": { number: "string", counter: "string" },
  "ticket.recalled": { number: "string", counter: "string" },
  /** A citizen's ticket was served: a link to rate it once, without logging in (services/analytics/rating-links.ts). */
  "ticket.served": { number: "string", link: "string" },
  turn_near: { number: "string", position: "number", minutes: "number" },
  /** A citizen sharing their way to a remote ticket: time to leave (services/locations/leave-now.ts). */
  "ticket.leave_now": { number: "string", branch: "string", travel_minutes: "number", wait_minutes: "number" },
  /** A kiosk ticket's tracker link, sent to the phone number its citizen gave (services/queues/trackers.service.ts). */
  "ticket.tracker": { number: "string", link: "string" },
  "appointment.reminder": { service: "string", branch: "string", time: "string", date: "string", minutes_before: "number" },
  "payment.received": { amount: "number", method: "string" },
} as const satisfies Record<string, Placeholders>;

export type SystemEvent = keyof typeof SYSTEM_EVENTS;

export function placeholdersOf(event: string): Placeholders | undefined {
  return (SYSTEM_EVENTS as Record<string, Placeholders>)[event];
}

/** Channels with a title: the e-mail subject, the push title, the in-app heading. */
export const hasSubject = (channel: Channel) => channel !== "sms";
