// Assertions on the one documented error shape.
import assert from "node:assert/strict";
import type { Reply } from "./http.ts";

export function assertError(reply: Reply, status: number, code: string): void {
  assert.equal(reply.status, status, `expected ${status} ${code}, got ${reply.status} ${JSON.stringify(reply.body)}`);
  assert.equal(typeof reply.body?.error?.message, "string", `no error shape in ${JSON.stringify(reply.body)}`);
  assert.equal(reply.body.error.code, code);
  assert.ok("details" in reply.body.error);
}

/** A 400 whose details name the offending field. */
export function assertInvalidField(reply: Reply, field: string): void {
  assertError(reply, 400, "validation_failed");
  const paths = reply.body.error.details.fields.map((f: { path: string }) => f.path);
  assert.ok(paths.includes(field), `expected an issue on ${field}, got ${paths.join(", ")}`);
}

export function assertPage(reply: Reply, count: number, pageLength: number): void {
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  assert.equal(reply.body.count, count);
  assert.equal(reply.body.results.length, pageLength);
  assert.ok("next" in reply.body && "previous" in reply.body);
}

/** For assert.throws: the error a rule raised has this code (the error shape's `code`). */
export const refusedWith = (code: string) => (err: unknown) => (err as { type?: string }).type === code;

/** A find the embedded server answers from the `_id` index (SQLite's plan: SEARCH … USING INDEX), or MongoDB without a collection scan. */
export async function assertReadFromIdIndex(collection: { find(filter: never): { explain(): Promise<unknown> } }, filter: object, what = ""): Promise<void> {
  const explained = (await collection.find(filter as never).explain()) as Record<string, any>;
  const plan = JSON.stringify(explained.queryPlanner ?? explained);
  if (Array.isArray(explained.queryPlanner?.Plan)) assert.match(plan, /SEARCH .* USING INDEX/, `${what} ${plan}`);
  else assert.doesNotMatch(plan, /COLLSCAN/, `${what} ${plan}`);
}
