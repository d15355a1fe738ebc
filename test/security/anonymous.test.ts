import assert from "node:assert/strict";
import { Types } from "mongoose";
import { assertError } from "../support/assertions.ts";
import { aCitizen, anAdministeredOrganization } from "../support/fixtures.ts";
import { call } from "../support/http.ts";
import { aQueue, aTicket } from "../support/queues.ts";
import { filled, restRoutes } from "./route-table.ts";

const BODIES = [{}, { queue_id: "0123456789abcdef01234567", name: "x", counter_id: "x" }];

describe("the REST API without a token", () => {
  it("answers 401 on every route but login, register, refresh, ticket trackers, a screen's queues and rating links, before validating or looking anything up", async () => {
    const { org, admin } = await anAdministeredOrganization();
    const queue = await aQueue(admin, org.id);
    const ticket = await aTicket(await aCitizen(), queue.id);
    // Ids that exist and ids that do not: the answer must not tell them apart.
    const idSets: Array<Record<string, string>> = [{ id: queue.id, counter_id: "c1" }, { id: ticket.id }, { id: org.id }, {}];
    const routes = restRoutes();
    let cases = 0;
    for (const route of routes.filter((r) => !r.anonymous)) {
      for (const ids of idSets) {
        for (const body of route.method === "GET" || route.method === "DELETE" ? [undefined] : BODIES) {
          const reply = await call(route.method, filled(route, ids, new Types.ObjectId().toHexString()), body);
          assertError(reply, 401, "not_authenticated");
          cases++;
        }
      }
    }
    const open = routes.filter((r) => r.anonymous).map((r) => r.action).sort();
    // A ticket tracker's code is its holder's key (an unguessable /t/{code} link), and a
    // screen's display token, in the body, is its own (issue 15); so is a rating link's
    // signed token, from the served message (issue 14).
    assert.deepEqual(open, ["accounts.login", "accounts.refresh", "accounts.register", "analytics.rateByLink", "queues.screens.branchQueues", "queues.trackers.leaveQueue", "queues.trackers.showTracked"]);
    console.log(`      ${cases} anonymous calls over ${routes.length} routes, each 401`);
  });
});
