// A busy or unreachable database is the client's cue to retry, not a server bug: it
// answers 503 store_busy, never 500 (every 503 carries Retry-After: staff-sends.test.ts).
// The errors are the driver's own classes, shaped as FerretDB on SQLite answers a locked
// database.
import assert from "node:assert/strict";
import { MongoClientClosedError, MongoServerError, MongoServerSelectionError } from "mongodb";
import { errorResponse } from "../../services/api/error-response.ts";

describe("a busy database", () => {
  it("answers SQLITE_BUSY from FerretDB as 503 store_busy, not 500", () => {
    const busy = new MongoServerError({ ok: 0, code: 1, codeName: "InternalError", errmsg: "[pool.go:212 pool.(*Pool).Exec] database is locked (5) (SQLITE_BUSY)" });
    const answer = errorResponse(busy, 1024);
    assert.deepEqual([answer.status, answer.body.error.code, answer.unexpected], [503, "store_busy", false]);
    assert.deepEqual(answer.body.error.details, { retry_after_seconds: 1 });
  });

  it("answers a database the driver cannot reach as 503 store_busy", () => {
    const unreachable = new MongoServerSelectionError("Server selection timed out after 30000 ms", { type: "Unknown", servers: new Map(), stale: false, compatible: true, heartbeatFrequencyMS: 10000, localThresholdMS: 15, setName: null, maxElectionId: null, maxSetVersion: null, commonWireVersion: 0, logicalSessionTimeoutMinutes: null } as never);
    assert.equal(errorResponse(unreachable, 1024).body.error.code, "store_busy");
  });

  it("answers a request caught by its node's stop (the connection closed under it) as 503, so it is retried elsewhere", () => {
    const closed = new MongoClientClosedError();
    assert.deepEqual([errorResponse(closed, 1024).status, errorResponse(closed, 1024).body.error.code, errorResponse(closed, 1024).unexpected], [503, "service_unavailable", false]);
  });

  it("still answers any other database failure as an unexpected 500", () => {
    const other = new MongoServerError({ ok: 0, code: 2, codeName: "BadValue", errmsg: "unknown operator: $foo" });
    assert.deepEqual([errorResponse(other, 1024).status, errorResponse(other, 1024).unexpected], [500, true]);
  });
});
