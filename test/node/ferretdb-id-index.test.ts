// The hot path touches growing collections by _id only, which is constant-time only if
// the server answers a lookup by _id from an index. FerretDB 1.24 on SQLite does so only
// with the patch scripts/build-ferretdb.sh applies: a FerretDB upgrade that loses it
// fails here, loudly, instead of slowing every call-next as history grows.
import assert from "node:assert/strict";
import { MongoClient } from "mongodb";
import { Types } from "mongoose";
import { mongoUrl } from "../support/system.ts";

describe("the database's _id index", () => {
  it("answers a find by _id from the index, not by scanning the collection", async () => {
    const client = await MongoClient.connect(mongoUrl());
    try {
      const collection = client.db().collection(`id_index_${new Types.ObjectId().toHexString()}`);
      await collection.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `doc-${i}` as unknown as Types.ObjectId, n: i })));
      const explained = (await collection.find({ _id: "doc-7" as unknown as Types.ObjectId }).explain()) as Record<string, any>;
      const plan = JSON.stringify(explained.queryPlanner ?? explained);
      if (Array.isArray(explained.queryPlanner?.Plan)) {
        // FerretDB (SQLite): SQLite's own query plan.
        assert.match(plan, /SEARCH .* USING INDEX/, `FerretDB scans for a find by _id: ${plan}`);
      } else {
        // MongoDB: an _id lookup stage, never a collection scan.
        assert.doesNotMatch(plan, /COLLSCAN/, `MongoDB scans for a find by _id: ${plan}`);
      }
      await collection.drop();
    } finally {
      await client.close();
    }
  });

  it("answers every _id that starts with a prefix from the index, and exactly those", async () => {
    const client = await MongoClient.connect(mongoUrl());
    try {
      const collection = client.db().collection<{ _id: string; n: number }>(`id_prefix_${new Types.ObjectId().toHexString()}`);
      // Beside the prefix's own, _ids that JSON writes otherwise, sort around it, or are not strings.
      const ids = ["user-1:a", "user-1:b", "user-1:", "user-1", "user-10:a", "user-1;", "user-1:\"", "user-1\u00e9", "user-0:z", "user-2:a"];
      await collection.insertMany([...ids.map((_id, n) => ({ _id, n })), { _id: 7 as unknown as string, n: -1 }]);
      const prefixed = { _id: { $gte: "user-1:", $lt: "user-1;" } };
      const found = (await collection.find(prefixed).toArray()).map((doc) => doc._id).sort();
      assert.deepEqual(found, ["user-1:", "user-1:\"", "user-1:a", "user-1:b"]);
      const explained = (await collection.find(prefixed).explain()) as Record<string, any>;
      const plan = JSON.stringify(explained.queryPlanner ?? explained);
      if (Array.isArray(explained.queryPlanner?.Plan)) {
        assert.match(plan, /SEARCH .* USING INDEX .*_id.*[<>]/, `FerretDB scans for every _id with a prefix: ${plan}`);
      } else {
        assert.doesNotMatch(plan, /COLLSCAN/, `MongoDB scans for every _id with a prefix: ${plan}`);
      }
      await collection.drop();
    } finally {
      await client.close();
    }
  });

  it("answers a range of _ids from the index under the prefix its ends share, and exactly that range", async () => {
    const client = await MongoClient.connect(mongoUrl());
    try {
      const collection = client.db().collection<{ _id: string; n: number }>(`id_range_${new Types.ObjectId().toHexString()}`);
      // A service's slots of a day (services/appointments/slots/key.ts), beside the days
      // around it, another service's, and _ids that JSON writes otherwise inside the range.
      const day = ["svc-1:2026-12-05T00:00:00.000Z", "svc-1:2026-12-05T09:30:00.000Z", "svc-1:2026-12-05T23:59:59.999Z", "svc-1:2026-12-05T1&", "svc-1:2026-12-05T1\u2028", "svc-1:2026-12-05T1<"];
      const around = ["svc-1:2026-12-04T23:59:59.999Z", "svc-1:2026-12-06T00:00:00.000Z", "svc-1:2026-12-0", "svc-2:2026-12-05T09:30:00.000Z", "svc-1:2026-12-15T09:30:00.000Z"];
      await collection.insertMany([...[...day, ...around].map((_id, n) => ({ _id, n })), { _id: 7 as unknown as string, n: -1 }]);
      const range = { _id: { $gte: "svc-1:2026-12-05T00:00:00.000Z", $lt: "svc-1:2026-12-06T00:00:00.000Z" } };
      assert.deepEqual((await collection.find(range).toArray()).map((doc) => doc._id).sort(), [...day].sort());
      const explained = (await collection.find(range).explain()) as Record<string, any>;
      const plan = JSON.stringify(explained.queryPlanner ?? explained);
      if (Array.isArray(explained.queryPlanner?.Plan)) {
        assert.match(plan, /SEARCH .* USING INDEX .*_id.*[<>]/, `FerretDB scans for a range of _ids: ${plan}`);
      } else {
        assert.doesNotMatch(plan, /COLLSCAN/, `MongoDB scans for a range of _ids: ${plan}`);
      }
      await collection.drop();
    } finally {
      await client.close();
    }
  });
});
