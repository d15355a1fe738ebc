import assert from "node:assert/strict";
import type { AuthUser } from "../../mixins/api/meta.ts";
import { SessionCache } from "../../services/accounts/session-cache.ts";

const caller = (id: string, jti: string): AuthUser => ({ id, jti, role: "citizen", organization_id: null, exp: 0 });

describe("session cache", () => {
  it("remembers a caller for its time to live only", () => {
    let now = 1000;
    const cache = new SessionCache(5000, () => now);
    cache.remember("t1", caller("u1", "t1"));
    assert.equal(cache.get("t1")?.id, "u1");
    now += 5001;
    assert.equal(cache.get("t1"), undefined);
  });

  it("forgets one token on logout and every token of a changed user", () => {
    const cache = new SessionCache(5000);
    for (const [user, token] of [["u1", "a"], ["u1", "b"], ["u2", "c"]]) cache.remember(token!, caller(user!, token!));
    cache.forget({ jti: "c" });
    assert.equal(cache.get("c"), undefined);
    cache.forget({ user_id: "u1" });
    assert.deepEqual([cache.get("a"), cache.get("b")], [undefined, undefined]);
  });

  it("remembers nothing when turned off", () => {
    const cache = new SessionCache(0);
    cache.remember("t1", caller("u1", "t1"));
    assert.equal(cache.get("t1"), undefined);
  });
});
