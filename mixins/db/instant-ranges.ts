// Keys that end in an instant (ISO 8601, UTC, with milliseconds: always one length, so such
// keys sort by instant under whatever comes before it), read between two instants as
// ranges of _ids, one per UTC month or day the span touches. The embedded server reads the
// `_id` index under the prefix a range's two ends share
// (scripts/ferretdb-id-prefix-range.sed), so each range's ends share all of the key up to
// its month (or day): a range that runs to the end of its month ends just after the
// month's keys ("…2030-01." for January: "." follows "-"), not at the next month's first
// key, with which it would share no more than the decade. A range cut at months reads at
// most a month of keys, one cut at days exactly its day's, where a filter on a date field
// scanned the whole collection.

/** A filter on _id alone, from `$gte` (included) to `$lt` (excluded). */
export type IdRange = { _id: { $gte: string; $lt: string } };

type KeyAt = (at: Date) => string;

/** "2025-03-10T09:00:00.000Z": the length of every instant the keys end in. */
const ISO_UTC_LENGTH = 24;

interface Period {
  /** The instant the period holding `at` ends. */
  endOf(at: Date): number;
  /** How much of an ISO instant names its period: "2030-01" (7), "2030-01-07" (10). */
  named: number;
}

const MONTH: Period = { endOf: (at) => Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1), named: 7 };
const DAY: Period = { endOf: (at) => Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1), named: 10 };

/** The keys `keyAt(t)` for t in [from, until), as one range per UTC month. */
export const monthlyKeyRanges = (keyAt: KeyAt, from: Date, until: Date): IdRange[] => keyRangesBy(MONTH, keyAt, from, until);

/** The same, one range per UTC day. */
export const dailyKeyRanges = (keyAt: KeyAt, from: Date, until: Date): IdRange[] => keyRangesBy(DAY, keyAt, from, until);

function keyRangesBy(period: Period, keyAt: KeyAt, from: Date, until: Date): IdRange[] {
  const ranges: IdRange[] = [];
  for (let start = from.getTime(); start < until.getTime(); ) {
    const at = new Date(start);
    const periodEnd = period.endOf(at);
    const end = Math.min(until.getTime(), periodEnd);
    const first = keyAt(at);
    ranges.push({ _id: { $gte: first, $lt: end === periodEnd ? justAfterPeriod(first, period) : keyAt(new Date(end)) } });
    start = end;
  }
  return ranges;
}

/** The key just after every key of the period `key` is in: its period's name with the next character raised by one. */
function justAfterPeriod(key: string, period: Period): string {
  const next = key.length - ISO_UTC_LENGTH + period.named;
  return `${key.slice(0, next)}${String.fromCharCode(key.charCodeAt(next) + 1)}`;
}
