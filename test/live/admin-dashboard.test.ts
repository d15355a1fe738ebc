import assert from "node:assert/strict";
import { aCitizen, aPlatformAdmin } from "../support/fixtures.ts";
import { aTicket } from "../support/queues.ts";
import { assertRefused, closeClients, connectConfirmed, type LiveClient } from "../support/live-client.ts";
import { aBranchQueue, callNext } from "./live-fixtures.ts";
import { boardHeld } from "./board-replay.ts";

const DASHBOARD = "/ws/admin/dashboard";

const dashboardOf = (dashboard: LiveClient) => boardHeld(dashboard.messages, "organizations", (o) => o.organization_id);
const figuresOf = (dashboard: LiveClient, organizationId: string) => dashboardOf(dashboard).items.get(organizationId);

// Confirmed with a ping, as README's known limits ask of an app: a socket now and then drops
// (1006) right after its upgrade.
describe("/ws/admin/dashboard", () => {
  afterEach(closeClients);

  it("gives a platform admin every organisation's figures, then each change as a delta", async () => {
    const { org, agent, queue, counter } = await aBranchQueue();
    const dashboard = await connectConfirmed(DASHBOARD, { token: (await aPlatformAdmin()).access });
    const snapshot = await dashboard.next("snapshot");
    assert.deepEqual(
      snapshot.organizations.find((o: any) => o.organization_id === org.id),
      { organization_id: org.id, queues: 1, open_queues: 1, waiting: 0, serving: 0, alerts: 0 },
    );
    assert.deepEqual(Object.keys(snapshot.totals).sort(), ["alerts", "open_queues", "organizations", "queues", "serving", "waiting"]);
    assert.ok(snapshot.totals.organizations >= 1 && snapshot.totals.queues >= 1);
    const waitingBefore = snapshot.totals.waiting;

    await aTicket(await aCitizen(), queue.id);
    await dashboard.until(() => figuresOf(dashboard, org.id).waiting === 1, "one waiting");
    const delta = dashboard.messages.find((m) => m.type === "delta");
    assert.deepEqual(Object.keys(delta).sort(), ["from_version", "organizations", "sent_at", "totals", "type", "version"]);
    assert.ok(dashboardOf(dashboard).last.totals.waiting >= waitingBefore + 1);

    await callNext(agent, queue.id, counter);
    await dashboard.until(() => figuresOf(dashboard, org.id).serving === 1 && figuresOf(dashboard, org.id).waiting === 0, "the ticket called");
  });

  it("refuses everyone but platform admins", async () => {
    const { admin, agent, display } = await aBranchQueue();
    await assertRefused(DASHBOARD, {}, 401, "not_authenticated");
    await assertRefused(DASHBOARD, { token: (await aCitizen()).access }, 403, "forbidden");
    await assertRefused(DASHBOARD, { token: admin.access }, 403, "forbidden");
    await assertRefused(DASHBOARD, { token: agent.access }, 403, "forbidden");
    await assertRefused(DASHBOARD, { token: display.token }, 403, "forbidden");
  });
});
