import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { clientAddress } from "../../mixins/api/client-address.ts";
import { assertError } from "../support/assertions.ts";
import { aCitizen, aPhone, PASSWORD } from "../support/fixtures.ts";
import { post } from "../support/http.ts";
import { startExtraSystem, stopExtraSystem, type TestSystem } from "../support/system.ts";

const LOGIN = "/api/accounts/auth/login/";
const THROTTLED = { TRUST_PROXY: "1", AUTH_RATE_LIMIT: "100000", LOGIN_FAILURES_PER_ACCOUNT: "3", LOGIN_FAILURES_PER_ADDRESS: "5" };

/** Proxy-seen addresses of this run only: the counts live in the database, which a run may share with an earlier one. */
const RUN = `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;

/** A request as nginx forwards it: whatever the client wrote, then the address nginx saw. */
const through = (clientWrote: string, seenByProxy: string) => ({ "x-forwarded-for": `${clientWrote}, ${seenByProxy}` });

describe("sign-in throttling", () => {
  let systems: TestSystem[] = [];
  let nodes: string[];
  before(async () => {
    // Two nodes: the counts are in the database, so a guesser gains nothing by spreading.
    systems = [await startExtraSystem(THROTTLED), await startExtraSystem(THROTTLED)];
    nodes = systems.map((s) => s.baseUrl);
  });
  after(() => Promise.all(systems.map(stopExtraSystem)));

  it("locks an account after its failures on any node, even for the right password, until the window ends", async () => {
    const citizen = await aCitizen();
    const wrong = { phone: citizen.user.phone, password: "Wrong-pass1" };
    for (const [i, baseUrl] of [nodes[0], nodes[1], nodes[0]].entries()) {
      assertError(await post(LOGIN, wrong, { baseUrl, headers: through(`6.6.6.${i}`, `${RUN}.${i}`) }), 401, "bad_credentials");
    }
    const locked = await post(LOGIN, { phone: citizen.user.phone, password: PASSWORD }, { baseUrl: nodes[1], headers: through("6.6.6.9", `${RUN}.9`) });
    assertError(locked, 429, "sign_in_locked");
    const retryAfter = Number(locked.headers.get("retry-after"));
    assert.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}`);
    // Another account from another address is not locked.
    assert.equal((await post(LOGIN, { phone: (await aCitizen()).user.phone, password: PASSWORD }, { baseUrl: nodes[1], headers: through("6.6.6.9", `${RUN}.10`) })).status, 200);
  });

  it("counts an address as the proxy saw it, whatever X-Forwarded-For the client wrote", async () => {
    for (let i = 0; i < 5; i++) {
      const reply = await post(LOGIN, { phone: aPhone(), password: "Wrong-pass1" }, { baseUrl: nodes[i % 2], headers: through(`203.0.113.${i}`, `${RUN}.77`) });
      assertError(reply, 401, "bad_credentials");
    }
    const fresh = await aCitizen();
    assertError(await post(LOGIN, { phone: fresh.user.phone, password: PASSWORD }, { baseUrl: nodes[0], headers: through("198.51.100.1", `${RUN}.77`) }), 429, "sign_in_locked");
    assert.equal((await post(LOGIN, { phone: fresh.user.phone, password: PASSWORD }, { baseUrl: nodes[0], headers: through("198.51.100.1", `${RUN}.78`) })).status, 200);
  });
});

describe("clientAddress", () => {
  const request = (forwarded: string | undefined, peer: string) =>
    ({ headers: forwarded === undefined ? {} : { "x-forwarded-for": forwarded }, socket: { remoteAddress: peer } }) as unknown as IncomingMessage;

  it("takes the socket's peer with no trusted proxy, and never the client-written entries", () => {
    assert.equal(clientAddress(request("1.1.1.1", "9.9.9.9"), 0), "9.9.9.9");
    assert.equal(clientAddress(request("spoof, 5.5.5.5", "10.0.0.1"), 1), "5.5.5.5");
    assert.equal(clientAddress(request("spoof, 5.5.5.5, 10.0.0.2", "10.0.0.1"), 2), "5.5.5.5");
    assert.equal(clientAddress(request(undefined, "10.0.0.1"), 1), "10.0.0.1");
  });
});
