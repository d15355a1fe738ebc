// The request bodies every JSON write endpoint must refuse in the error shape, before it
// reaches the service: malformed JSON and a body over MAX_BODY_BYTES (64 KiB by default).
import { assertError } from "./assertions.ts";
import { call } from "./http.ts";

export async function assertRefusesBadBodies(method: "POST" | "PUT" | "PATCH", path: string, token: string): Promise<void> {
  assertError(await call(method, path, undefined, { token, raw: '{"name": "unterminated' }), 400, "malformed_json");
  const oversized = JSON.stringify({ name: "x".repeat(70_000) });
  assertError(await call(method, path, undefined, { token, raw: oversized }), 413, "payload_too_large");
}
