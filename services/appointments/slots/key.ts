// A slot's identity: its service and its start instant. Stable across regenerations, so
// the scheduler can upsert by key and a job that runs twice writes nothing twice.
import { monthlyKeyRanges, type IdRange } from "../../../mixins/db/instant-ranges.ts";

/** ISO 8601 in UTC with milliseconds is always this long: "2025-03-10T09:00:00.000Z". */
const ISO_UTC_LENGTH = 24;

export const slotKey = (serviceId: string, startsAt: Date): string => `${serviceId}:${startsAt.toISOString()}`;

/** The start instant a key was made from (the service id may itself hold colons). */
export function startOfSlotKey(key: string): Date {
  const startsAt = new Date(key.slice(-ISO_UTC_LENGTH));
  if (key.length <= ISO_UTC_LENGTH || key[key.length - ISO_UTC_LENGTH - 1] !== ":" || Number.isNaN(startsAt.getTime())) {
    throw new RangeError(`not a slot key: ${key}`);
  }
  return startsAt;
}

/** The service a key was made for. */
export const serviceOfSlotKey = (key: string): string => (startOfSlotKey(key), key.slice(0, -ISO_UTC_LENGTH - 1));

/**
 * The _ids of a service's slots that start in [from, until), as ranges of keys: keys sort
 * by start within a service, and each range holds at most a month of that service's slots
 * (mixins/db/instant-ranges.ts), where a filter on service_id and starts_at scanned every
 * slot ever made. A slot's seats (`<slot>#<n>`, booking.ts) fall in its slot's range too.
 */
export const slotKeyRanges = (serviceId: string, from: Date, until: Date): IdRange[] => monthlyKeyRanges((at) => slotKey(serviceId, at), from, until);
