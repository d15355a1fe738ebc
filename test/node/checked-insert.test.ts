// Inserts that skip mongoose's Documents (mixins/db/checked-insert.ts) still refuse what
// mongoose would have refused, fill in its defaults, and report duplicates as the driver
// does; a claim of a schema that is not flat still goes through mongoose.
import assert from "node:assert/strict";
import mongoose, { Schema, Types, type Connection } from "mongoose";
import { checkable, InvalidDocument, insertChecked } from "../../mixins/db/checked-insert.ts";
import { claimEach, claimOnce, CLAIMS_PER_INSERT, duplicateIndexes } from "../../mixins/db/claim.ts";
import { mongoUrl } from "../support/system.ts";

interface RowDoc {
  _id: string;
  name: string;
  count: number;
  at: Date;
  note: string | null;
}

const rowSchema = new Schema<RowDoc>(
  { _id: String, name: { type: String, required: true }, count: { type: Number, required: true }, at: Date, note: { type: String, default: null } },
  { versionKey: false },
);

describe("checked inserts", () => {
  let db: Connection;
  const model = () => {
    const name = `checked_rows_${new Types.ObjectId().toHexString()}`;
    return db.model<RowDoc>(name, rowSchema, name);
  };

  before(async () => {
    db = await mongoose.createConnection(mongoUrl()).asPromise();
  });
  after(() => db.close());

  it("writes documents with the schema's defaults filled in and the fields it does not name kept", async () => {
    const rows = model();
    await insertChecked(rows, [{ _id: "a", name: "A", count: 1, at: new Date(0), extra: true } as unknown as RowDoc]);
    assert.deepEqual(await rows.findById("a").lean(), { _id: "a", name: "A", count: 1, at: new Date(0), note: null, extra: true });
    await rows.collection.drop();
  });

  for (const [what, doc, says] of [
    ["a required field missing", { _id: "b", count: 1 }, /name is required/],
    ["a field of another type", { _id: "b", name: "B", count: "1" }, /count is not a Number/],
    ["an invalid date", { _id: "b", name: "B", count: 1, at: new Date(Number.NaN) }, /at is not a Date/],
    ["no _id", { name: "B", count: 1 }, /_id is required/],
  ] as const) {
    it(`refuses the whole insert for ${what}, writing nothing`, async () => {
      const rows = model();
      await assert.rejects(insertChecked(rows, [{ _id: "ok", name: "OK", count: 1 } as RowDoc, doc as unknown as RowDoc]), (err) => err instanceof InvalidDocument && says.test(err.message));
      assert.equal(await rows.countDocuments({}), 0);
    });
  }

  it("reports which documents were there already, having written the others", async () => {
    const rows = model();
    await insertChecked(rows, [{ _id: "x", name: "X", count: 1 } as RowDoc]);
    const err = await insertChecked(rows, [{ _id: "y", name: "Y", count: 1 }, { _id: "x", name: "X", count: 2 }] as RowDoc[]).then(() => null, (e: unknown) => e);
    assert.deepEqual(duplicateIndexes(err), [1]);
    assert.deepEqual((await rows.find({}).sort({ _id: 1 }).lean()).map((r) => [r._id, r.count]), [["x", 1], ["y", 1]]);
    await rows.collection.drop();
  });

  it("claims once through the driver for a flat schema, and through mongoose for any other", async () => {
    const rows = model();
    assert.equal(checkable(rows), true);
    assert.equal(await claimOnce(rows, "k", { name: "K", count: 1 }), true);
    assert.equal(await claimOnce(rows, "k", { name: "K", count: 2 }), false);
    await assert.rejects(claimOnce(rows, "bad", { count: 1 }), /name is required/);

    const nested = db.model("CheckedNested", new Schema({ _id: String, history: [{ at: Date }] }, { versionKey: false }), `checked_nested_${new Types.ObjectId().toHexString()}`);
    assert.equal(checkable(nested), false);
    assert.equal(await claimOnce(nested, "n", { history: [{ at: new Date(0) }] } as never), true);
    assert.equal(await claimOnce(nested, "n"), false);
    assert.deepEqual((await nested.findById("n").lean<{ history: Array<{ at: Date }> }>())?.history.map((h) => h.at), [new Date(0)]);
    await Promise.all([rows.collection.drop(), nested.collection.drop()]);
  });

  it("answers each of many claims made at once on one collection, a duplicate false, an invalid one refused alone", async () => {
    const rows = model();
    const ids = Array.from({ length: 40 }, (_, i) => `c${i % 20}`);
    const claims = ids.map((id) => claimOnce(rows, id, { name: id, count: 1 }));
    const invalid = assert.rejects(claimOnce(rows, "bad", { count: 1 }), /name is required/);
    const answers = await Promise.all(claims);
    await invalid;
    assert.deepEqual(answers.slice(0, 20), ids.slice(0, 20).map(() => true));
    assert.deepEqual(answers.slice(20), ids.slice(20).map(() => false));
    assert.equal(await rows.countDocuments({}), 20);
    await rows.collection.drop();
  });

  it("claims more documents than one insert takes in inserts of at most CLAIMS_PER_INSERT, answering the ones taken already in any of them", async () => {
    const rows = model();
    const docs = Array.from({ length: 2 * CLAIMS_PER_INSERT + 50 }, (_, i): RowDoc => ({ _id: `r${i}`, name: `R${i}`, count: 1, at: new Date(0), note: null }));
    const takenBefore = [docs[10]!, docs[CLAIMS_PER_INSERT + 3]!, docs[docs.length - 1]!];
    await insertChecked(rows, takenBefore.map((doc) => ({ ...doc, count: 2 })));
    const inserts: number[] = [];
    const collection = new Proxy(rows.collection, {
      get: (target, key, receiver) => (key === "insertMany" ? (batch: unknown[], options: unknown) => (inserts.push(batch.length), target.insertMany(batch as never, options as never)) : Reflect.get(target, key, receiver)),
    });
    const counted = new Proxy(rows, { get: (target, key, receiver) => (key === "collection" ? collection : Reflect.get(target, key, receiver)) });
    assert.deepEqual((await claimEach(counted, docs)).map((doc) => doc._id), takenBefore.map((doc) => doc._id));
    assert.deepEqual(inserts, [CLAIMS_PER_INSERT, CLAIMS_PER_INSERT, 50]);
    assert.equal(await rows.countDocuments({}), docs.length);
    assert.equal(await rows.countDocuments({ count: 2 }), takenBefore.length, "a document taken already keeps what it held");
    await rows.collection.drop();
  });

  it("checks a string against its enum, and stamps timestamps and the version key as mongoose does", async () => {
    const name = `checked_enum_${new Types.ObjectId().toHexString()}`;
    const stamped = db.model(name, new Schema({ _id: String, role: { type: String, enum: ["agent", "admin"], required: true } }, { timestamps: { createdAt: "created_at", updatedAt: "updated_at" } }), name);
    assert.equal(checkable(stamped), true);
    await assert.rejects(claimOnce(stamped, "x", { role: "king" } as never), /role is not one of agent, admin/);
    const before = Date.now();
    assert.equal(await claimOnce(stamped, "y", { role: "agent" } as never), true);
    const stored = await stamped.findById("y").lean<{ role: string; created_at: Date; updated_at: Date; __v: number }>();
    assert.deepEqual([stored?.role, stored?.__v], ["agent", 0]);
    assert.ok(stored!.created_at.getTime() >= before && stored!.updated_at.getTime() === stored!.created_at.getTime());
    await stamped.collection.drop();
  });

  it("leaves a schema with other validators (a min) or setters to mongoose, which enforces them", async () => {
    const name = `checked_min_${new Types.ObjectId().toHexString()}`;
    const validated = db.model(name, new Schema({ _id: String, score: { type: Number, min: 1 }, code: { type: String, lowercase: true } }, { versionKey: false }), name);
    assert.equal(checkable(validated), false);
    await assert.rejects(claimOnce(validated, "x", { score: 0 } as never), /score/);
    assert.equal(await claimOnce(validated, "y", { score: 2, code: "ABC" } as never), true);
    assert.equal((await validated.findById("y").lean<{ code: string }>())?.code, "abc");
    await validated.collection.drop();
  });
});
