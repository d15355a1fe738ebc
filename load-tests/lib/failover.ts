// Failover as the load scripts measure it: from a fault until every struck queue answers
// its status again, each probed in turn until it does.
import { sleep } from "./rig.ts";

/** Ms from `since` (a Date.now()) until `answers` is true for every queue; null if one never was. */
export async function untilEveryQueueAnswers(queueIds: string[], answers: (queueId: string) => Promise<boolean>, since: number, everyMs: number, giveUpMs = 60_000): Promise<number | null> {
  const answered = await Promise.all(
    queueIds.map(async (queueId) => {
      while (Date.now() - since < giveUpMs) {
        if (await answers(queueId)) return Date.now() - since;
        await sleep(everyMs);
      }
      return null;
    }),
  );
  return answered.includes(null) ? null : Math.max(0, ...(answered as number[]));
}
