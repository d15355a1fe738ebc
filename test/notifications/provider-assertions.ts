import assert from "node:assert/strict";
import { ProviderError } from "../../mixins/api/errors.ts";

/** The promise fails with a ProviderError of this provider, retryable or not, with this status. */
export async function rejectsAsProviderError(
  promise: Promise<unknown>,
  expected: { provider: string; retryable: boolean; status?: number | null; providerCode?: string },
): Promise<ProviderError> {
  let caught: unknown;
  await assert.rejects(promise, (err) => {
    caught = err;
    return true;
  });
  assert.ok(caught instanceof ProviderError, `expected a ProviderError, got ${String(caught)}`);
  assert.equal(caught.provider, expected.provider);
  assert.equal(caught.retryable, expected.retryable, caught.message);
  assert.equal(caught.type, "provider_failed");
  if (expected.status !== undefined) assert.equal(caught.status, expected.status);
  if (expected.providerCode !== undefined) assert.equal(caught.providerCode, expected.providerCode);
  return caught;
}
