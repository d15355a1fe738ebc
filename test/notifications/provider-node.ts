// A SmartQueue node wired to stand-in providers, in a database of its own: its scheduler
// then runs only its own retries (the run's main node, on the `log` provider, never picks
// them up), and what the stand-ins receive is all this node sent.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { SmartQueueNode } from "../../services/node.ts";
import { aPhone, PASSWORD, type Session } from "../support/fixtures.ts";
import { post } from "../support/http.ts";
import { startExtraSystem, stopExtraSystem } from "../support/system.ts";

export interface ProviderNode {
  node: SmartQueueNode;
  baseUrl: string;
  stop(): Promise<void>;
  aCitizen(extra?: Record<string, unknown>): Promise<Session>;
}

export async function aProviderNode(env: Record<string, string>): Promise<ProviderNode> {
  const system = await startExtraSystem({ SCHEDULER_PROCESS_EVERY_MS: "100",
    // Retries 1.5 s apart: short for a test, and far enough ahead for the scheduler to
    // enter each one before it reads the second it is due in.
    NOTIFICATION_RETRY_DELAY_MS: "1500",
    NOTIFICATION_RETRY_MAX_DELAY_MS: "1500",
    ...env }, { database: `notifications_${randomUUID().slice(0, 8)}` });
  const { node, baseUrl } = system;
  return {
    node,
    baseUrl,
    stop: () => stopExtraSystem(system),
    async aCitizen(extra = {}) {
      const reply = await post("/api/accounts/auth/register/", { phone: aPhone(), password: PASSWORD, ...extra }, { baseUrl });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      return { ...reply.body, password: PASSWORD };
    },
  };
}
