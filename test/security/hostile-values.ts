// Hostile input for fuzzing the REST API: JSON values of the wrong type, shape or size,
// strings that mean something to MongoDB, to JavaScript or to a path, and the same put
// into a plausible body, a path segment or a query string.
import fc from "fast-check";

/** Keys that mean something to MongoDB or to a JavaScript object. */
const HOSTILE_KEYS = ["$where", "$ne", "$gt", "$regex", "$expr", "$set", "__proto__", "constructor", "prototype", "a.b", ""];

const wrongType = fc.oneof(
  fc.integer(),
  fc.double(), // NaN and ±Infinity go out as null
  fc.boolean(),
  fc.constantFrom(null, 0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, [], {}, [null], [""]),
);

const tricky = fc.constantFrom(
  "$gt", "$where", "$ne", '{"$gt":""}', "this.password == ''", ".*", "(a+)+$", "\\", "'\"`", "<script>alert(1)</script>",
  "../../etc/passwd", "%00", "%ZZ", "\u0000", "a\u0000b", " ", "", "null", "undefined", "NaN", "true", "-1", "1e309",
  "__proto__", "constructor", "toString", "hasOwnProperty",
  "\u202egnp.exe", "\u200b", "\ufeff", "🙂", "👩🏽‍⚕️", "مرحبا بكم", "\ud800", "\udfff", "\udc00\ud800",
);

/** Any code point: NUL and other controls, right-to-left and zero-width marks, emoji. */
const unicode = fc.string({ unit: "binary", maxLength: 40 });

/** Half surrogate pairs: JSON.stringify escapes them (\ud800), and JSON.parse takes them back. */
const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 8 });

const objectId = fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{24}$/), fc.constantFrom("000000000000000000000000", "ffffffffffffffffffffffff"));

const hostileString = fc.oneof({ arbitrary: tricky, weight: 3 }, unicode, loneSurrogates, objectId);

/** From 1 KB to ~70 KB once serialised: past 64 KiB the body limit answers 413. */
const huge = fc
  .tuple(fc.constantFrom("x", "é", "🙂", "\u0000"), fc.integer({ min: 1_000, max: 70_000 }))
  .map(([unit, bytes]) => unit.repeat(Math.ceil(bytes / (Buffer.byteLength(JSON.stringify(unit)) - 2))));

const longArray = fc
  .tuple(fc.oneof(wrongType, tricky), fc.integer({ min: 1_000, max: 15_000 }))
  .map(([item, length]) => Array.from({ length }, () => item));

/** Object.fromEntries makes "__proto__" an own key, so it is serialised like any other. */
const operatorObject = fc
  .array(fc.tuple(fc.constantFrom(...HOSTILE_KEYS), fc.oneof(wrongType, tricky)), { minLength: 1, maxLength: 3 })
  .map((entries) => Object.fromEntries(entries));

const deep = fc.tuple(fc.integer({ min: 50, max: 3_000 }), fc.constantFrom("[]", "a", "$where", "__proto__")).map(([depth, kind]) => {
  let value: unknown = "x";
  for (let i = 0; i < depth; i++) value = kind === "[]" ? [value] : { [kind]: value };
  return value;
});

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: wrongType, weight: 3 },
  { arbitrary: hostileString, weight: 3 },
  { arbitrary: operatorObject, weight: 2 },
  { arbitrary: huge, weight: 1 },
  { arbitrary: longArray, weight: 1 },
  { arbitrary: deep, weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
);

/**
 * `plausible` with one to three of `fields` given a hostile value (or a hostile key added)
 * and some fields left out: the endpoint sees a request that is nearly right.
 */
export function spoiled(plausible: Record<string, unknown>, fields = Object.keys(plausible)): fc.Arbitrary<Record<string, unknown>> {
  const key = fields.length ? fc.oneof({ arbitrary: fc.constantFrom(...fields), weight: 3 }, fc.constantFrom(...HOSTILE_KEYS)) : fc.constantFrom(...HOSTILE_KEYS);
  return fc
    .tuple(fc.subarray(Object.keys(plausible)), fc.array(fc.tuple(key, hostileValue), { minLength: 1, maxLength: 3 }))
    .map(([dropped, changes]) => Object.fromEntries([...Object.entries(plausible).filter(([f]) => !dropped.includes(f)), ...changes]));
}

/** A JSON body: mostly a spoiled plausible one, sometimes not even an object. */
export const hostileBody = (plausible: Record<string, unknown>, fields?: string[]) =>
  fc.oneof({ arbitrary: spoiled(plausible, fields), weight: 3 }, { arbitrary: hostileValue, weight: 1 });

/** Every byte as %XX: never throws on half surrogates (encodeURIComponent does). */
const percentEncoded = (s: string) => Array.from(Buffer.from(s), (b) => `%${b.toString(16).padStart(2, "0")}`).join("");

/**
 * A path segment, sent as is: traversal, encoded NUL and slash, broken percent-encoding,
 * overlong UTF-8, ids far over the 64-character limit (but the URL stays under Node's
 * 16 KiB header limit, past which Node answers 431 before the gateway sees anything).
 */
export const hostileSegment = fc.oneof(
  fc.constantFrom("..", ".", "%2e%2e", "..%2f..%2f", "%00", "a%00b", "%ZZ", "%", "%C0%AF", "%ED%A0%80", "%2F", "%5C", "me", "my", "undefined"),
  hostileString.map(percentEncoded),
  fc.integer({ min: 65, max: 2_000 }).map((n) => "a".repeat(n)),
  objectId,
);

/**
 * `key=value` pairs: unknown and operator keys, bracket syntax (key[$gt]=x), repeated keys.
 * At most ~8 KB once percent-encoded, so that with two long path segments the URL stays
 * under Node's 16 KiB limit.
 */
export function hostileQuery(names: string[]): fc.Arbitrary<string> {
  const known = names.length ? [fc.constantFrom(...names)] : [];
  const key = fc.oneof(
    ...known,
    fc.constantFrom(...HOSTILE_KEYS, "page", "page_size", "ordering", "search", "__proto__[polluted]", "constructor[prototype][polluted]"),
    fc.tuple(fc.constantFrom(...names, "id"), fc.constantFrom("[$gt]", "[$ne]", "[]", "[0]", "[__proto__]")).map(([name, suffix]) => name + suffix),
  );
  const value = fc.oneof(hostileString, fc.integer({ min: 1, max: 500 }).map((n) => "9".repeat(n)));
  return fc
    .array(fc.tuple(key, value), { maxLength: 5 })
    .map((pairs) => pairs.map(([k, v]) => `${percentEncoded(k)}=${percentEncoded(v)}`).join("&"));
}

/** Bodies sent as they are: not JSON, not declared as JSON, or over the 64 KiB limit. */
export const RAW_BODIES: Array<{ text: string; contentType: string }> = [
  ...['{"name": "unterminated', "{'name': 'x'}", '{"a":1}trailing', "\u0000", '"not an object"'].map((text) => ({ text, contentType: "application/json" })),
  { text: '{"name":"x"}', contentType: "text/plain" },
  { text: "name=x&$where=1", contentType: "application/x-www-form-urlencoded" },
  { text: '{"name":"x"}', contentType: "application/json; charset=utf-16" },
  { text: JSON.stringify({ name: "x".repeat(70_000) }), contentType: "application/json" },
];
