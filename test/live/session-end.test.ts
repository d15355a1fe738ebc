import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import type { Peer } from "../../services/live/channel.ts";
import { SESSION_ENDED, SessionSockets } from "../../services/live/session-sockets.ts";
import { aCitizen, anOrgAdmin, login, PASSWORD } from "../support/fixtures.ts";
import { del, patch, post, put } from "../support/http.ts";
import { closeClients, connect, connectConfirmed, notificationsPath, queuePath } from "../support/live-client.ts";
import { system } from "../support/system.ts";
import { aBranchQueue, DISPLAY_TOKENS } from "./live-fixtures.ts";

describe("live sockets whose session ends", () => {
  afterEach(closeClients);

  it("closes a user's sockets on logout, and only that session's", async () => {
    const citizen = await aCitizen();
    const other = await login(citizen.user.phone, PASSWORD);
    const [mine, theirs] = [await connectConfirmed(notificationsPath(citizen.user.id), { token: citizen.access }), await connectConfirmed(notificationsPath(citizen.user.id), { token: other.access })];
    assert.equal((await post("/api/accounts/auth/logout/", { refresh: citizen.refresh }, { token: citizen.access })).status, 204);
    assert.equal(await mine.closed(), SESSION_ENDED);
    theirs.send({ type: "ping" });
    await theirs.next("pong");
  });

  it("closes a screen when its display token is revoked", async () => {
    const { queue, display, admin } = await aBranchQueue();
    const screen = await connect(queuePath(queue.id), { token: display.token });
    await screen.next("snapshot");
    assert.equal((await del(`${DISPLAY_TOKENS}${display.id}/`, { token: admin.access })).status, 204);
    assert.equal(await screen.closed(), SESSION_ENDED);
  });

  it("closes an agent's console when the agent is deactivated, and a citizen's when the password changes", async () => {
    const { queue, agent, org } = await aBranchQueue();
    const console = await connect(queuePath(queue.id), { token: agent.access });
    await console.next("snapshot");
    assert.equal((await put(`/api/accounts/users/${agent.user.id}/`, { is_active: false }, { token: (await anOrgAdmin(org.id)).access })).status, 200);
    assert.equal(await console.closed(), SESSION_ENDED);
    const citizen = await aCitizen();
    const phone = await connectConfirmed(notificationsPath(citizen.user.id), { token: citizen.access });
    assert.equal((await patch("/api/accounts/users/me/", { password: "N3w-password", current_password: PASSWORD }, { token: citizen.access })).status, 200);
    assert.equal(await phone.closed(), SESSION_ENDED);
  });

  it("closes a socket when its access token expires", async () => {
    const citizen = await aCitizen();
    const { jwt: settings } = system().config;
    const shortLived = jwt.sign({ sub: citizen.user.id, token_type: "access", jti: randomUUID(), sep: 0, exp: Math.floor(Date.now() / 1000) + 2 }, settings.accessSecret, {
      algorithm: "HS256",
      issuer: settings.issuer,
    });
    const socket = await connectConfirmed(notificationsPath(citizen.user.id), { token: shortLived });
    assert.equal(await socket.closed(10_000), SESSION_ENDED);
  });
});

describe("SessionSockets", () => {
  const aPeer = () => {
    const peer = { closed: false, code: 0, end(code: number) { peer.closed = true; peer.code = code; } };
    return peer as unknown as Peer & { code: number };
  };

  it("ends the sockets filed under a key, forgets untracked ones, and ends an already expired one at once", () => {
    const sessions = new SessionSockets(() => 1000);
    const [a, b, c, late] = [aPeer(), aPeer(), aPeer(), aPeer()];
    sessions.track(a, { keys: ["jti:1", "user:u"], expiresAt: null });
    sessions.track(b, { keys: ["jti:2", "user:u"], expiresAt: null });
    sessions.track(c, { keys: ["jti:3", "user:v"], expiresAt: null });
    sessions.untrack(b);
    assert.equal(sessions.end("user:u", "changed"), 1);
    assert.deepEqual([a.code, b.code, c.code], [SESSION_ENDED, 0, 0]);
    sessions.track(late, { keys: ["jti:4"], expiresAt: 999 });
    assert.equal(late.code, SESSION_ENDED);
    assert.equal(sessions.end("jti:4", "gone"), 0);
  });
});
