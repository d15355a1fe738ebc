// A user's FCM registration tokens: registered, listed and removed by that user only.
import assert from "node:assert/strict";
import { assertError, assertInvalidField } from "../support/assertions.ts";
import { assertRefusesBadBodies } from "../support/bad-bodies.ts";
import { aCitizen, anAdministeredOrganization } from "../support/fixtures.ts";
import { del, get, post } from "../support/http.ts";
import { aKey, PUSH_TOKENS } from "./notification-fixtures.ts";

const aToken = () => `fcm:${aKey("device").replace(/-/g, "_")}`;
const tokenPath = (token: string) => `${PUSH_TOKENS}${encodeURIComponent(token)}/`;

describe("/api/notifications/push-tokens/", () => {
  it("registers a device once, lists it and unregisters it", async () => {
    const citizen = await aCitizen();
    const as = { token: citizen.access };
    const token = aToken();
    const made = await post(PUSH_TOKENS, { token, platform: "android" }, as);
    assert.deepEqual([made.status, made.body.token, made.body.platform], [201, token, "android"]);
    assert.equal((await post(PUSH_TOKENS, { token, platform: "android" }, as)).status, 200, "registering again changes nothing");
    await post(PUSH_TOKENS, { token: aToken() }, as);
    assert.equal((await get(PUSH_TOKENS, as)).body.length, 2);
    assert.equal((await del(tokenPath(token), as)).status, 204);
    assert.deepEqual((await get(PUSH_TOKENS, as)).body.map((d: any) => d.token).includes(token), false);
    assertError(await del(tokenPath(token), as), 404, "not_found");
  });

  it("refuses removing another user's device (404) and anonymous callers", async () => {
    const citizen = await aCitizen();
    const token = aToken();
    await post(PUSH_TOKENS, { token }, { token: citizen.access });
    const { admin } = await anAdministeredOrganization();
    for (const intruder of [await aCitizen(), admin]) {
      assertError(await del(tokenPath(token), { token: intruder.access }), 404, "not_found");
      assert.deepEqual((await get(PUSH_TOKENS, { token: intruder.access })).body, []);
    }
    assertError(await post(PUSH_TOKENS, { token }), 401, "not_authenticated");
    assert.equal((await get(PUSH_TOKENS, { token: citizen.access })).body.length, 1);
  });

  it("refuses tokens that cannot be FCM registration tokens", async () => {
    const citizen = await aCitizen();
    const as = { token: citizen.access };
    assertInvalidField(await post(PUSH_TOKENS, { token: "short" }, as), "body.token");
    assertInvalidField(await post(PUSH_TOKENS, { token: `${aToken()} <script>` }, as), "body.token");
    assertInvalidField(await post(PUSH_TOKENS, { token: aToken(), platform: "symbian" }, as), "body.platform");
    assertInvalidField(await post(PUSH_TOKENS, {}, as), "body.token");
    await assertRefusesBadBodies("POST", PUSH_TOKENS, citizen.access);
  });
});
