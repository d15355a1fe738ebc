import assert from "node:assert/strict";
import { aBranchQueue, aDisplayToken } from "../live/live-fixtures.ts";
import { assertError, assertInvalidField } from "../support/assertions.ts";
import { aBranch, anAdministeredOrganization } from "../support/fixtures.ts";
import { del, post, put } from "../support/http.ts";
import { aQueue } from "../support/queues.ts";

const SCREEN_QUEUES = "/api/queues/display-queues/";

describe("POST /api/queues/display-queues/ (a screen's queues, from its display token)", () => {
  it("answers the active queues of the token's branch only, by name", async () => {
    const office = await aBranchQueue();
    const second = await aQueue(office.admin, office.org.id, { branch_id: office.branch.id, name: "Atelier", prefix: "B" });
    const closedDown = await aQueue(office.admin, office.org.id, { branch_id: office.branch.id, name: "Ancien", prefix: "C" });
    assert.equal((await put(`/api/queues/queues/${closedDown.id}/`, { is_active: false }, { token: office.admin.access })).status, 200);
    await aQueue(office.admin, office.org.id, { branch_id: (await aBranch(office.admin, office.org.id, { name: "Annexe" })).id, name: "Ailleurs" });
    const reply = await post(SCREEN_QUEUES, { token: office.display.token });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual(reply.body, { branch_id: office.branch.id, queues: [{ id: second.id, name: "Atelier" }, { id: office.queue.id, name: "Caisse" }] });
  });

  it("refuses a revoked token, access tokens (this organisation's or another's), and bodies that are not a token", async () => {
    const office = await aBranchQueue();
    const revoked = await aDisplayToken(office.admin, office.branch.id);
    assert.equal((await del(`/api/accounts/display-tokens/${revoked.id}/`, { token: office.admin.access })).status, 204);
    assertError(await post(SCREEN_QUEUES, { token: revoked.token }), 401, "token_invalid");
    assertError(await post(SCREEN_QUEUES, { token: office.admin.access }), 401, "token_invalid");
    const foreign = await anAdministeredOrganization();
    assertError(await post(SCREEN_QUEUES, { token: foreign.admin.access }), 401, "token_invalid");
    // Another organisation's screen sees its own branch, never this one's.
    const theirs = await aDisplayToken(foreign.admin, (await aBranch(foreign.admin, foreign.org.id)).id);
    assert.deepEqual((await post(SCREEN_QUEUES, { token: theirs.token })).body.queues, []);
    assertError(await post(SCREEN_QUEUES, { token: "x".repeat(40) }), 401, "token_invalid");
    assertInvalidField(await post(SCREEN_QUEUES, {}), "body.token");
    assertInvalidField(await post(SCREEN_QUEUES, { token: "short" }), "body.token");
    assertInvalidField(await post(SCREEN_QUEUES, { token: office.display.token, branch_id: office.branch.id }), "body");
  });
});
