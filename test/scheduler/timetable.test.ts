// The timetable's numbering: a burst of calls for one second, and a hole left by a number
// whose insert is still in flight.
import assert from "node:assert/strict";
import { Timetable } from "../../services/scheduler/timetable.ts";
import { system } from "../support/system.ts";
import { aKey } from "./support.ts";

describe("scheduler: the timetable", () => {
  // A second of its own, far ahead, so that no dispatch job makes these calls.
  const aFarSecond = () => Math.floor(Date.UTC(2040, 0, 1) / 1000) + Math.floor(Math.random() * 1e7);
  const aCall = (second: number) => ({ key: aKey("burst"), action: "scheduler.ping", params: {}, due_at: new Date(second * 1000), attempt: 0, origin: null });

  it("gives a burst of calls for one second a number each, with none left out when read", async () => {
    const timetable = new Timetable(system().node.db);
    const second = aFarSecond();
    const ids = await Promise.all(Array.from({ length: 40 }, () => timetable.enter(aCall(second))));
    assert.deepEqual([...ids].sort(), Array.from({ length: 40 }, (_, n) => `${second}#${n}`).sort(), "the numbers 0–39, each once");
    const read = await timetable.callsAt(second);
    assert.deepEqual(read.map((call) => call._id).sort(), [...ids].sort());
  });

  it("reads the calls of a second past a narrow hole in its numbers", async () => {
    const db = system().node.db;
    const timetable = new Timetable(db);
    const second = aFarSecond();
    const numbered = [0, 1, 3, 6].map((n) => ({ ...aCall(second), _id: `${second}#${n}` }));
    await db.collection("scheduled_calls").insertMany(numbered as never[]);
    assert.deepEqual((await timetable.callsAt(second)).map((call) => call._id), numbered.map((call) => call._id));
  });
});
