// Keys ending in an instant read as ranges of _ids cut at months or days
// (mixins/db/instant-ranges.ts): each range's ends share the key up to its period, the
// prefix the embedded server reads the `_id` index under, and together the ranges hold
// exactly the keys of the span.
import assert from "node:assert/strict";
import { dailyKeyRanges, monthlyKeyRanges, type IdRange } from "../../mixins/db/instant-ranges.ts";

const at = (iso: string) => new Date(iso);
const keyAt = (instant: Date) => `5:owner:${instant.toISOString()}`;
const shared = ({ _id: { $gte, $lt } }: IdRange) => $gte.slice(0, [...$gte].findIndex((c, i) => c !== $lt[i]));
const inAny = (ranges: IdRange[], key: string) => ranges.some(({ _id }) => _id.$gte <= key && key < _id.$lt);

describe("ranges of keys that end in an instant", () => {
  it("cuts at days, each range's ends sharing its day, across a month's and a decade's end", () => {
    const ranges = dailyKeyRanges(keyAt, at("2030-01-29T10:00:00Z"), at("2030-02-01T06:00:00Z"));
    assert.deepEqual(ranges.map(shared), ["5:owner:2030-01-29", "5:owner:2030-01-30", "5:owner:2030-01-31", "5:owner:2030-02-01T0"]);
    assert.deepEqual(dailyKeyRanges(keyAt, at("2030-01-09T00:00:00Z"), at("2030-01-11T00:00:00Z")).map(shared), ["5:owner:2030-01-09", "5:owner:2030-01-10"]);
  });

  it("holds every key of the span and none outside it, by day and by month", () => {
    const [from, until] = [at("2030-01-30T10:00:00Z"), at("2030-03-02T06:00:00Z")];
    for (const ranges of [dailyKeyRanges(keyAt, from, until), monthlyKeyRanges(keyAt, from, until)]) {
      for (const [iso, inside] of [
        ["2030-01-30T09:59:59.999Z", false], ["2030-01-30T10:00:00.000Z", true], ["2030-01-31T23:59:59.999Z", true],
        ["2030-02-01T00:00:00.000Z", true], ["2030-02-28T23:59:59.999Z", true], ["2030-03-02T05:59:59.999Z", true], ["2030-03-02T06:00:00.000Z", false],
      ] as const) assert.equal(inAny(ranges, `${keyAt(at(iso))}#appointment`), inside, iso);
    }
    assert.deepEqual(dailyKeyRanges(keyAt, from, from), [], "an empty span, no range");
  });
});
