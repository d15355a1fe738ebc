// A slot's identity: its service and its start instant. Stable across regenerations, so
// the scheduler can upsert by key and a job that runs twice writes nothing twice.

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
