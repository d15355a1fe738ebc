// GET /api/locations/nearby-services/ over the running node: branches from business, waits
// from real queues.
import assert from "node:assert/strict";
import { aBranch, aCitizen, anAdministeredOrganization, aService, type Session } from "../support/fixtures.ts";
import { get, post } from "../support/http.ts";
import { aCounter, aQueue, aTicket } from "../support/queues.ts";

// Somewhere of its own (Ngor's coast), off the other tests' branches.
const HERE = { latitude: 14.7495, longitude: -17.52 };

describe("GET /api/locations/nearby-services/", function () {
  this.timeout(60_000);
  let citizen: Session;
  let service: { id: string };
  let near: { id: string };
  let far: { id: string };
  let farQueue: { id: string };
  before(async () => {
    citizen = await aCitizen();
    const { org, admin } = await anAdministeredOrganization();
    service = await aService(admin, org.id, { name_fr: "Carte d'identité biométrique", name_en: "Biometric ID card", expected_duration_minutes: 10 });
    near = await aBranch(admin, org.id, { name: "Ngor Village", latitude: 14.7505, longitude: -17.52 });
    far = await aBranch(admin, org.id, { name: "Ngor Almadies", latitude: 14.7655, longitude: -17.52 });
    await aBranch(admin, org.id, { name: "Sans coordonnées", address: "Ngor" });
    await aBranch(admin, org.id, { name: "Thiès", latitude: 14.791, longitude: -16.926 });
    const nearQueue = await aQueue(admin, org.id, { branch_id: near.id, service_id: service.id, name: "CNI Ngor", prefix: "N" });
    farQueue = await aQueue(admin, org.id, { branch_id: far.id, service_id: service.id, name: "CNI Almadies", prefix: "M" });
    await aCounter(admin, nearQueue.id);
    await aCounter(admin, farQueue.id);
    for (let i = 0; i < 6; i++) await aTicket(await aCitizen(), nearQueue.id);
  });
  const nearby = (query: string, who: Session = citizen) => get(`/api/locations/nearby-services/?latitude=${HERE.latitude}&longitude=${HERE.longitude}&${query}`, { token: who.access });

  it("ranks branches by travel plus the live wait: a farther empty queue before a near long one", async () => {
    const reply = await nearby(`service_id=${service.id}&radius_m=3000`);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual(reply.body.results.map((r: { branch: { id: string } }) => r.branch.id), [far.id, near.id]);
    const [first, second] = reply.body.results;
    assert.equal(first.queue.queue_id, farQueue.id);
    assert.equal(first.queue.waiting_count, 0);
    assert.equal(second.queue.waiting_count, 6);
    assert.ok(second.queue.estimated_wait_ms >= 6 * 10 * 60_000 * 0.5, JSON.stringify(second.queue));
    assert.ok(first.distance_m > second.distance_m);
    assert.equal(second.total_s, second.travel.duration_s + Math.round(second.queue.estimated_wait_ms / 1000));
  });

  it("finds the service by its name without accents, and leaves out branches without coordinates or out of reach", async () => {
    const reply = await nearby("service=carte d identite biometrique&radius_m=3000");
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const names = reply.body.results.map((r: { branch: { name: string } }) => r.branch.name);
    assert.deepEqual([...names].sort(), ["Ngor Almadies", "Ngor Village"]);
  });

  it("orders by distance when asked, and pages as DRF does", async () => {
    const reply = await nearby(`service_id=${service.id}&ordering=distance_m&page_size=1`);
    assert.equal(reply.body.count, 2);
    assert.equal(reply.body.results[0].branch.id, near.id);
    assert.match(reply.body.next, /page=2/);
  });

  it("answers nothing for a service no branch near offers", async () => {
    const reply = await nearby("service=radiologie");
    assert.equal(reply.status, 200);
    assert.equal(reply.body.count, 0);
  });

  it("refuses bad input, naming the field", async () => {
    const at = `latitude=${HERE.latitude}&longitude=${HERE.longitude}`;
    for (const [query, path] of [
      [`latitude=north&longitude=${HERE.longitude}&service=cni`, "query.latitude"],
      [`latitude=${HERE.latitude}&service=cni`, "query.longitude"],
      [`${at}&service_id=${service.id}&service=cni`, "query.service"],
      [at, "query.service"],
      [`${at}&service=cni&radius_m=10`, "query.radius_m"],
      [`${at}&service=cni&mode=plane`, "query.mode"],
    ] as const) {
      const reply = await get(`/api/locations/nearby-services/?${query}`, { token: citizen.access });
      assert.equal(reply.status, 400, query);
      assert.ok(reply.body.error.details.fields.some((f: { path: string }) => f.path === path), `${query}: ${JSON.stringify(reply.body.error.details)}`);
    }
    assert.equal((await get(`/api/locations/nearby-services/?${at}&service=cni`)).status, 401);
  });

  it("shows another organisation's staff the same public figures as a citizen, without ticket ids", async () => {
    const { admin } = await anAdministeredOrganization();
    const reply = await nearby(`service_id=${service.id}&radius_m=3000`, admin);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.count, 2);
    assert.doesNotMatch(JSON.stringify(reply.body), /ticket_id/);
  });
});

describe("GET /api/locations/nearby-services/ with closed queues", function () {
  this.timeout(60_000);

  it("ranks a closed queue and a branch without a queue after an open one, with the reason, whatever the ordering", async () => {
    const HERE = { latitude: 14.7445, longitude: -17.49 };
    const citizen = await aCitizen();
    const { org, admin } = await anAdministeredOrganization();
    const service = await aService(admin, org.id, { name_fr: "Légalisation", name_en: "Legalisation" });
    const closed = await aBranch(admin, org.id, { name: "Ouakam Centre", latitude: 14.745, longitude: -17.49 });
    const none = await aBranch(admin, org.id, { name: "Ouakam Cité", latitude: 14.746, longitude: -17.49 });
    const open = await aBranch(admin, org.id, { name: "Mermoz", latitude: 14.76, longitude: -17.49 });
    const closedQueue = await aQueue(admin, org.id, { branch_id: closed.id, service_id: service.id, name: "Légalisation Ouakam", prefix: "L" });
    const openQueue = await aQueue(admin, org.id, { branch_id: open.id, service_id: service.id, name: "Légalisation Mermoz", prefix: "M" });
    await aCounter(admin, openQueue.id);
    await aTicket(await aCitizen(), openQueue.id);
    const shut = await post(`/api/queues/queues/${closedQueue.id}/close/`, {}, { token: admin.access });
    assert.equal(shut.status, 200, JSON.stringify(shut.body));
    for (const ordering of ["total_s", "distance_m"]) {
      const reply = await get(`/api/locations/nearby-services/?latitude=${HERE.latitude}&longitude=${HERE.longitude}&service_id=${service.id}&ordering=${ordering}`, { token: citizen.access });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      assert.deepEqual(
        reply.body.results.map((r: any) => [r.branch.id, r.available, r.unavailable_reason, r.queue?.status ?? null]),
        [[open.id, true, null, "open"], [closed.id, false, "queue_closed", "closed"], [none.id, false, "no_queue", null]],
        ordering,
      );
      assert.equal(reply.body.results[1].total_s, null);
    }
  });
});
