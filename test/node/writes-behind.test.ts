// The writes made behind the answers (services/node-deps.ts, `behind`): the projection,
// the notifications a call sends and the analytics rollups go through a connection of
// MONGO_BEHIND_POOL sockets, and the journal never does, so a command's append finds at
// most that many of them at the database ahead of it.
import assert from "node:assert/strict";
import { eventually } from "../support/eventually.ts";
import { aCitizen } from "../support/fixtures.ts";
import { post } from "../support/http.ts";
import { aRunningQueue, aTicket } from "../support/queues.ts";
import { system } from "../support/system.ts";

describe("writes behind the answers", () => {
  it("keeps the journal on the node's own connection and everything written behind it on the other", () => {
    const { db, behind } = system().node;
    assert.notEqual(behind, db);
    assert.ok(db.models.QueueCommit);
    assert.equal(behind.models.QueueCommit, undefined);
    for (const model of ["Ticket", "QueueSnapshot", "Notification", "NotificationDelivery", "NotificationRateSlot"]) {
      assert.ok(behind.models[model], `${model} is written behind`);
    }
  });

  it("projects a burst of tickets and notifies their calls through one socket at a time (the default pool)", async () => {
    const { db, behind } = system().node;
    const client = behind.getClient();
    assert.equal(client.options.maxPoolSize, 1);
    let checkedOut = 0;
    let most = 0;
    let used = 0;
    const out = () => ((checkedOut += 1), (used += 1), (most = Math.max(most, checkedOut)));
    const back = () => (checkedOut -= 1);
    client.on("connectionCheckedOut", out);
    client.on("connectionCheckedIn", back);
    try {
      const { queue, agent, counters } = await aRunningQueue(1);
      const citizens = await Promise.all(Array.from({ length: 4 }, () => aCitizen()));
      const tickets = await Promise.all(citizens.flatMap((citizen) => [aTicket(citizen, queue.id), aTicket(citizen, queue.id)]));
      const called = await post(`/api/queues/queues/${queue.id}/call-next`, { counter_id: counters[0] }, { token: agent.access });
      assert.equal(called.status, 200, JSON.stringify(called.body));
      const ids = tickets.map((t) => t.id);
      await eventually(() => db.collection("tickets").countDocuments({ _id: { $in: ids as never[] } }), (n) => n === ids.length);
      assert.ok(called.body.user_id, "the called ticket is a citizen's");
      await eventually(() => db.collection("notifications").countDocuments({ event: "ticket.called", user_id: called.body.user_id }), (n) => n === 1);
      assert.ok(used > 0, "nothing went through the behind connection");
      assert.equal(most, 1);
    } finally {
      client.off("connectionCheckedOut", out);
      client.off("connectionCheckedIn", back);
    }
  });
});
