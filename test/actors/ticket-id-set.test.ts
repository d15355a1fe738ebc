import assert from "node:assert/strict";
import { TicketIdSet } from "../../actors/host/ticket-id-set.ts";

const QUEUES = ["6b0faea42d8cf028590c50bd", "6b0faea42d8cf028590c50be", "0123456789abcdef01234567"];
const aTicketId = (n: number, queue = QUEUES[n % QUEUES.length]!) => `${queue}-${(0x6b0faea42d8cn * 1_000_000n + BigInt(n)).toString(16).padStart(24, "0")}`;

describe("ticket id set (a day's ended tickets, held compactly)", () => {
  it("holds exactly the ids added, through many growths", () => {
    const set = new TicketIdSet();
    for (let n = 0; n < 50_000; n += 2) set.add(aTicketId(n));
    assert.equal(set.size, 25_000);
    for (let n = 0; n < 50_000; n++) assert.equal(set.has(aTicketId(n)), n % 2 === 0, aTicketId(n));
  });

  it("tells apart ids that differ only in their queue or in one digit of their unique part", () => {
    const set = new TicketIdSet();
    set.add(aTicketId(7, QUEUES[0]));
    assert.ok(set.has(aTicketId(7, QUEUES[0])));
    assert.ok(!set.has(aTicketId(7, QUEUES[1])));
    assert.ok(!set.has(aTicketId(7, "ffffffffffffffffffffffff")));
    assert.ok(!set.has(aTicketId(8, QUEUES[0])));
    assert.ok(!set.has(aTicketId(7 + 2 ** 32, QUEUES[0])));
  });

  it("counts an id added twice once", () => {
    const set = new TicketIdSet();
    set.add(aTicketId(1));
    set.add(aTicketId(1));
    assert.equal(set.size, 1);
  });

  it("keeps ids of any other shape as they are, upper-case hex apart from lower-case", () => {
    const set = new TicketIdSet();
    const upper = aTicketId(3).toUpperCase();
    for (const id of ["t-1", "", upper, `${aTicketId(4)}x`, aTicketId(5).replace("-", "_")]) set.add(id);
    assert.equal(set.size, 5);
    assert.ok(set.has("t-1") && set.has("") && set.has(upper) && set.has(`${aTicketId(4)}x`) && set.has(aTicketId(5).replace("-", "_")));
    assert.ok(!set.has(aTicketId(3)), "the lower-case id was never added");
    assert.ok(!set.has(aTicketId(4)) && !set.has(aTicketId(5)));
  });
});
