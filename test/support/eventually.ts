// Waiting for a condition that becomes true behind an acknowledgement (the tickets read
// model is written by the projector after the answer): polls until `ready` holds on what
// `read` gives, and fails with the last value seen if it never does.
import assert from "node:assert/strict";

export async function eventually<T>(read: () => Promise<T>, ready: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ready(value)) return value;
    if (Date.now() > deadline) assert.fail(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
