// queues.screens: what an office screen shows, found from its display token alone. A
// display token opens the live channels of its branch and is refused by the rest of the
// REST API; this one route takes it in the body and answers the branch's active queues,
// so that a screen set up with its token alone shows every queue of its branch.
import type { ServiceSchema } from "moleculer";
import { z } from "zod";
import type { DisplayViewer } from "../accounts/display-tokens.ts";
import { restInput, validated } from "../../mixins/api/validated.ts";
import type { NodeDeps } from "../node-deps.ts";
import { queuesStore } from "./store.ts";

const BranchQueuesOfScreen = restInput({ body: z.object({ token: z.string().min(20).max(4096) }).strict() });

export default function screensService({ db }: NodeDeps): ServiceSchema {
  const { queues } = queuesStore(db);
  return {
    name: "queues.screens",
    settings: { rest: "/queues" },
    actions: {
      /** The queues a screen shows: its branch's active ones. A revoked token is refused (401). */
      branchQueues: {
        rest: "POST /display-queues",
        anonymous: true,
        handler: validated(BranchQueuesOfScreen, async function (ctx) {
          const screen = await ctx.call<DisplayViewer, { token: string }>("accounts.display-tokens.authenticate", { token: ctx.params.body.token });
          const found = await queues.find({ organization_id: screen.organization_id, branch_id: screen.branch_id, is_active: true }, { name: 1 }).sort({ name: 1 }).lean();
          return { branch_id: screen.branch_id, queues: found.map((queue) => ({ id: String(queue._id), name: queue.name })) };
        }),
      },
    },
  };
}
