// A user's own locations: only theirs, never in a log, and gone after the retention.
import assert from "node:assert/strict";
import { MAX_POINTS, retained, type UserPoint } from "../../services/locations/user-locations.ts";
import { aCitizen, anAdministeredOrganization } from "../support/fixtures.ts";
import { eventually } from "../support/eventually.ts";
import { get, post } from "../support/http.ts";
import { startExtraSystem, stopExtraSystem, type TestSystem } from "../support/system.ts";
import { aNamespace, startClusterNode, stopClusterNode } from "../support/cluster.ts";
import { connectConfirmed } from "../support/live-client.ts";

const point = (id: string, recordedAt: string): UserPoint => ({ id, lat: 14.7, lon: -17.45, accuracy_m: null, recorded_at: new Date(recordedAt) });

describe("what is kept of a user's locations", () => {
  it("keeps the points within the retention, newest first, and at most the cap", () => {
    const now = new Date("2026-12-02T08:00:00Z");
    const kept = retained([point("old", "2026-12-02T06:59:59Z"), point("a", "2026-12-02T07:10:00Z"), point("b", "2026-12-02T07:50:00Z")], now, 3_600_000);
    assert.deepEqual(kept.map((p) => p.id), ["b", "a"]);
    const many = Array.from({ length: MAX_POINTS + 5 }, (_, i) => point(`p${i}`, new Date(now.getTime() - i * 1000).toISOString()));
    assert.equal(retained(many, now, 3_600_000).length, MAX_POINTS);
  });
});

describe("GET|POST /api/locations/user-locations/", function () {
  this.timeout(60_000);
  const HERE = { latitude: 14.7167, longitude: -17.4677 };

  it("records the caller's location and shows it back to them, newest first", async () => {
    const me = await aCitizen();
    const first = await post("/api/locations/user-locations/", { ...HERE, accuracy_m: 25 }, { token: me.access });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.latitude, HERE.latitude);
    assert.ok(Date.parse(first.body.expires_at) - Date.parse(first.body.recorded_at) === 3_600_000);
    await post("/api/locations/user-locations/", { latitude: 14.72, longitude: -17.47 }, { token: me.access });
    const mine = await get("/api/locations/user-locations/", { token: me.access });
    assert.equal(mine.status, 200);
    assert.equal(mine.body.count, 2);
    assert.equal(mine.body.results[0].latitude, 14.72);
    assert.equal(mine.body.results[1].accuracy_m, 25);
  });

  it("never shows one user's locations to another, whatever their role or organisation", async () => {
    const me = await aCitizen();
    await post("/api/locations/user-locations/", HERE, { token: me.access });
    const { admin } = await anAdministeredOrganization();
    for (const other of [await aCitizen(), admin]) {
      const reply = await get("/api/locations/user-locations/", { token: other.access });
      assert.equal(reply.status, 200);
      assert.equal(reply.body.count, 0);
    }
    // There is no way to name someone else: a user_id is refused, not obeyed.
    const named = await get(`/api/locations/user-locations/?user_id=${me.user.id}`, { token: admin.access });
    assert.equal(named.status, 400);
  });

  it("refuses bad input, naming the field, and a caller without a token", async () => {
    const me = await aCitizen();
    for (const [body, path] of [
      [{ latitude: 200, longitude: 0 }, "body.latitude"],
      [{ latitude: 14.7 }, "body.longitude"],
      [{ ...HERE, accuracy_m: -1 }, "body.accuracy_m"],
      [{ ...HERE, user_id: "someone" }, "body"],
    ] as const) {
      const reply = await post("/api/locations/user-locations/", body, { token: me.access });
      assert.equal(reply.status, 400, path);
      assert.ok(reply.body.error.details.fields.some((f: { path: string }) => f.path === path), JSON.stringify(reply.body.error.details));
    }
    assert.equal((await post("/api/locations/user-locations/", HERE)).status, 401);
    assert.equal((await get("/api/locations/user-locations/")).status, 401);
  });
});

describe("user locations past their retention", function () {
  this.timeout(60_000);
  let node: TestSystem;
  before(async () => {
    node = await startExtraSystem({ USER_LOCATION_RETENTION_SECONDS: "1" });
  });
  after(() => stopExtraSystem(node));

  it("stops showing a location once its retention has passed, and deletes it", async () => {
    const baseUrl = node.baseUrl;
    const me = await aCitizen({}, baseUrl);
    assert.equal((await post("/api/locations/user-locations/", { latitude: 14.7, longitude: -17.45 }, { token: me.access, baseUrl })).status, 201);
    assert.equal((await get("/api/locations/user-locations/", { token: me.access, baseUrl })).body.count, 1);
    // Retention is 1 s: the list stops showing it, and the sweep deletes it.
    await eventually(async () => (await get("/api/locations/user-locations/", { token: me.access, baseUrl })).body.count, (count) => count === 0, 30_000);
    await eventually(() => node.node.db.collection("location_user_points").findOne({ _id: me.user.id as never }), (stored) => stored === null, 30_000);
  });
});

describe("a user's location and the logs", function () {
  this.timeout(120_000);

  it("writes no position a user records or follows live to a node's log, even at debug level", async () => {
    const node = await startClusterNode("locations-debug", aNamespace(), { LOG_LEVEL: "debug" });
    try {
      const me = await aCitizen({}, node.baseUrl);
      const phone = await connectConfirmed(`/ws/location/updates/${me.user.id}`, { token: me.access, port: node.wsPort });
      await phone.next("snapshot");
      const at = { latitude: 14.7312345, longitude: -17.4612345 };
      assert.equal((await post("/api/locations/user-locations/", { ...at, accuracy_m: 12.345 }, { token: me.access, baseUrl: node.baseUrl })).status, 201);
      assert.equal((await phone.next("location")).point.latitude, at.latitude);
      assert.equal((await get("/api/locations/user-locations/", { token: me.access, baseUrl: node.baseUrl })).body.count, 1);
      phone.close();
    } finally {
      await stopClusterNode(node);
    }
    assert.match(node.output(), /"level":20/, "debug lines are written");
    for (const written of ["14.7312345", "17.4612345", "12.345"]) assert.ok(!node.output().includes(written), `${written} is in the log`);
  });
});
