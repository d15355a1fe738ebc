// services/scheduler: Agenda on the node's database. Other services schedule one-off
// calls through `scheduler.schedule` (idempotent per key): `call:<service.action>` calls
// that action once when due (call-dispatcher.ts). Recurring jobs live in ./jobs.
import type { ServiceSchema } from "moleculer";
import type { NodeDeps } from "../node-deps.ts";
import { validated } from "../../mixins/api/validated.ts";
import { broadcast, listener } from "../events.ts";
import { registeredJobs } from "./jobs/index.ts";
import { schedulerStore } from "./job-runs.ts";
import { Scheduler } from "./scheduler.ts";
import * as S from "./schemas.ts";

const INTERNAL = { visibility: "public" } as const;

export default function schedulerService({ config, db }: NodeDeps): ServiceSchema {
  const store = schedulerStore(db);
  let scheduler: Scheduler | undefined;
  const running = () => {
    if (!scheduler) throw new Error("the scheduler is not started");
    return scheduler;
  };

  return {
    name: "scheduler",
    actions: {
      /** { name, at, data, key, fresh? } → the job; the same key again answers the same job. */
      schedule: {
        ...INTERNAL,
        handler: validated(S.Schedule, async function (ctx) {
          const { name, at, data, key, fresh } = ctx.params;
          return running().schedule(name, at, data, key, fresh);
        }),
      },
      /** Records one row per call: a probe that makes a duplicate delivery visible. */
      ping: {
        ...INTERNAL,
        handler: validated(S.Ping, async function (ctx) {
          await store.pings.create({ key: ctx.params.key, node_id: this.broker.nodeID, at: new Date() });
          return { key: ctx.params.key };
        }),
      },
    },
    events: {
      "scheduler.jobs.handed_back": listener("scheduler.jobs.handed_back", function (handedBack, ctx) {
        // This node's own hand-back: it is stopping.
        if (ctx.nodeID === this.broker.nodeID) return;
        return scheduler?.heard(handedBack);
      }),
    },
    async started() {
      await Promise.all([store.jobRuns.createIndexes(), store.pings.createIndexes()]);
      scheduler = new Scheduler(config.scheduler, { broker: this.broker, logger: this.logger, db }, (handedBack) => broadcast(this.broker, "scheduler.jobs.handed_back", handedBack));
      await scheduler.start(registeredJobs(config));
    },
    async stopped() {
      await scheduler?.stop();
      scheduler = undefined;
    },
  } satisfies ServiceSchema;
}
