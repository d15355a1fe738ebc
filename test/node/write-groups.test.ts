// Writes grouped per collection (mixins/db/write-groups.ts): those asked for while a
// command is in flight share the next one, and each is answered on its own — claims by
// whether they went in, updates by their own outcome on the real database.
import assert from "node:assert/strict";
import mongoose, { Schema, Types, type Connection } from "mongoose";
import { claimOnce } from "../../mixins/db/claim.ts";
import { updateByIdGrouped } from "../../mixins/db/grouped-updates.ts";
import { WriteGroups } from "../../mixins/db/write-groups.ts";
import { mongoUrl } from "../support/system.ts";

interface RowDoc {
  _id: string;
  name: string;
  count: number;
}

const rowSchema = new Schema<RowDoc>({ _id: String, name: { type: String, required: true }, count: { type: Number, required: true } }, { versionKey: false });

describe("grouped writes", () => {
  let db: Connection;
  const aModel = () => {
    const name = `grouped_rows_${new Types.ObjectId().toHexString()}`;
    return db.model<RowDoc>(name, rowSchema, name);
  };

  before(async () => {
    db = await mongoose.createConnection(mongoUrl()).asPromise();
  });
  after(() => db.close());

  it("sends the writes asked for while one is in flight together, answering each by its own result", async () => {
    const groups: number[][] = [];
    const writes = new WriteGroups<number, number>(async (items) => {
      groups.push(items);
      return items.map((n) => n * 10);
    });
    const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => writes.add(n)));
    assert.deepEqual(groups, [[1], [2, 3, 4, 5]]);
    assert.deepEqual(answers, [10, 20, 30, 40, 50]);
  });

  it("fails only the group whose command failed as a whole", async () => {
    let calls = 0;
    const writes = new WriteGroups<number, boolean>(async (items) => {
      if (calls++ === 1) throw new Error("store down");
      return items.map(() => true);
    });
    const first = await Promise.allSettled([writes.add(1), writes.add(2)]);
    const later = await writes.add(3);
    assert.deepEqual([first.map((a) => a.status), later], [["fulfilled", "rejected"], true]);
  });

  it("claims: each answered by whether its document went in, duplicates in the same group included", async () => {
    const rows = aModel();
    await rows.create({ _id: "taken", name: "T", count: 0 });
    const claimed = await Promise.all(["a", "taken", "b", "a"].map((id) => claimOnce(rows, id, { name: id, count: 1 })));
    assert.deepEqual(claimed, [true, false, true, false]);
    assert.deepEqual((await rows.find().sort({ _id: 1 }).lean()).map((r) => [r._id, r.name]), [["a", "a"], ["b", "b"], ["taken", "T"]]);
    await rows.collection.drop();
  });

  it("updates by _id: a group in one command; one the database refuses fails its whole group, and later groups are written", async () => {
    const rows = aModel();
    await rows.insertMany(["a", "b", "c", "d"].map((id) => ({ _id: id, name: id, count: 1 })));
    // One update in flight, so that the next two go together in one group.
    const alone = updateByIdGrouped(rows, "a", { $set: { count: 2 } });
    const group = Promise.allSettled([updateByIdGrouped(rows, "b", { $inc: { name: 1 } }), updateByIdGrouped(rows, "c", { $set: { count: 3 } })]);
    await alone;
    assert.deepEqual((await group).map((o) => o.status), ["rejected", "rejected"]);
    await updateByIdGrouped(rows, "d", { $set: { count: 4 }, $push: { log: "d" } });
    assert.deepEqual(await rows.find().sort({ _id: 1 }).lean(), [
      { _id: "a", name: "a", count: 2 },
      { _id: "b", name: "b", count: 1 },
      { _id: "c", name: "c", count: 1 },
      { _id: "d", name: "d", count: 4, log: ["d"] },
    ]);
    await rows.collection.drop();
  });
});
