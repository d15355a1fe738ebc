// What every adapter that signs in with OAuth2 (FCM, Orange) owes its provider, whatever
// the provider: one token for many messages, and a fresh one, once, when it is refused.
// The adapters share the token logic (mixins/http/access-token.ts); each is held to it here,
// against its own stand-in.
import assert from "node:assert/strict";
import type { Provider } from "../../services/notifications/providers/types.ts";
import type { Recorded } from "./stand-in-server.ts";

export interface TokenBehaviour<Message> {
  provider: string;
  anAdapter: () => Provider<Message>;
  message: Message;
  tokenRequests: () => Recorded[];
  sendRequests: () => Recorded[];
  /** The first two tokens the stand-in hands out. */
  tokens: [string, string];
  /** From now on the stand-in refuses this token with 401. */
  revoke: (token: string) => void;
}

export function itKeepsOneAccessToken<Message>(given: TokenBehaviour<Message>): void {
  it("asks for one token for several messages, sent at once or one after another", async () => {
    const adapter = given.anAdapter();
    await Promise.all([adapter.send(given.message), adapter.send(given.message), adapter.send(given.message)]);
    await adapter.send(given.message);
    assert.equal(given.tokenRequests().length, 1);
    assert.equal(given.sendRequests().length, 4);
  });

  it("takes a new token and sends again once when the provider refuses the token with 401", async () => {
    const adapter = given.anAdapter();
    const [first, second] = given.tokens;
    await adapter.send(given.message);
    given.revoke(first);
    assert.equal((await adapter.send(given.message)).provider, given.provider);
    assert.equal(given.tokenRequests().length, 2);
    assert.deepEqual(given.sendRequests().map((r) => r.headers.authorization), [`Bearer ${first}`, `Bearer ${first}`, `Bearer ${second}`]);
  });
}
