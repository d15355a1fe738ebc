import assert from "node:assert/strict";
import jwt from "jsonwebtoken";
import { Credentials } from "../../services/live/credentials.ts";
import type { UpgradeRequest } from "../../services/live/channel.ts";

const displayToken = (jti: string) => jwt.sign({ token_type: "display", jti }, "secret");
const accessToken = (jti: string) => jwt.sign({ token_type: "access", jti }, "secret");
const request = (token: string, inUrl = false): UpgradeRequest => ({
  params: [],
  protocolToken: inUrl ? undefined : token,
  queryToken: inUrl ? token : undefined,
  since: undefined,
  authorization: "",
  address: "127.0.0.1",
});

/** The accounts service as the live node reaches it: each check answered when `answer` is called. */
function accounts(now: () => number) {
  const asked: Array<{ action: string; token: string; answer: () => void }> = [];
  const call = <T>(action: string, { token }: { token: string }): Promise<T> =>
    new Promise((resolve) => {
      const { jti } = jwt.decode(token, { json: true })!;
      const answer = () =>
        resolve((action === "accounts.display-tokens.authenticate"
          ? { id: jti, organization_id: "o1", branch_id: "b1" }
          : { id: "u1", jti, role: "agent", organization_id: "o1", exp: Math.floor(now() / 1000) + 60 }) as T);
      asked.push({ action, token, answer });
    });
  return { asked, call: call as <T>(action: string, params: object) => Promise<T> };
}

describe("live credentials (who a token belongs to, remembered per node)", () => {
  let clock = 1_000_000;
  const now = () => clock;
  const memory = { userMs: 5_000, displayMs: 600_000 };
  // A check is asked for synchronously, in the call that needs it: how many were asked is
  // known as soon as that call returns, without waiting for anything.

  it("asks the accounts service once for the screens that bring one token at once, then remembers it", async () => {
    const { asked, call } = accounts(now);
    const credentials = new Credentials(call, memory, now);
    const token = displayToken("d1");
    const admissions = [1, 2, 3].map(() => credentials.viewerOf(request(token)));
    assert.equal(asked.length, 1);
    asked[0].answer();
    const viewers = await Promise.all(admissions);
    assert.deepEqual(viewers.map((v) => v.kind === "display" && v.display.id), ["d1", "d1", "d1"]);
    await credentials.viewerOf(request(token, true));
    assert.equal(asked.length, 1);
  });

  it("forgets a token on its session's change, and does not remember a check under way when one came", async () => {
    const { asked, call } = accounts(now);
    const credentials = new Credentials(call, memory, now);
    const token = displayToken("d2");
    const first = credentials.viewerOf(request(token));
    asked[0].answer();
    await first;
    credentials.forget({ jti: "d2" });
    const again = credentials.viewerOf(request(token));
    assert.equal(asked.length, 2);
    credentials.forget({ jti: "another" });
    asked[1].answer();
    await again;
    void credentials.viewerOf(request(token));
    assert.equal(asked.length, 3, "a check answered across a session change is asked again");
  });

  it("remembers an access token for AUTH_CACHE_SECONDS, forgets it when its user changes, and refuses it in the URL", async () => {
    const { asked, call } = accounts(now);
    const credentials = new Credentials(call, memory, now);
    const token = accessToken("a1");
    const check = () => credentials.viewerOf(request(token));
    const first = check();
    asked[0].answer();
    await first;
    await check();
    assert.equal(asked.length, 1);
    await assert.rejects(credentials.viewerOf(request(token, true)), /only a display token may be sent in the URL/, "remembered, and still refused in the URL");
    clock += memory.userMs + 1;
    const second = check();
    assert.equal(asked.length, 2);
    asked[1].answer();
    await second;
    credentials.forget({ user_id: "u1" });
    void check();
    assert.equal(asked.length, 3);
    await assert.rejects(credentials.viewerOf(request(token, true)), /only a display token may be sent in the URL/);
  });

  it("does not remember a refusal", async () => {
    let calls = 0;
    const credentials = new Credentials(async () => {
      calls++;
      throw new Error("this display token was revoked");
    }, memory, now);
    const token = displayToken("d3");
    await assert.rejects(credentials.viewerOf(request(token)), /revoked/);
    await assert.rejects(credentials.viewerOf(request(token)), /revoked/);
    assert.equal(calls, 2);
  });
});
