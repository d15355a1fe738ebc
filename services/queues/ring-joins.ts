// When a node joins the queue shard ring, some of this node's queues now hash to it
// (consistent hashing), so the idle actors here leave memory and reload wherever their
// next call is routed. The ring is the nodes that host the sharded actions, not every
// node: a node of live channels only, joining or restarting, moves no queue. Reacting
// to every `$node.connected` made this node reload all its queues just as a restarted
// live node's screens asked it for their views (docs/bench-runs/2026-12-04-ring-joins.md).
// It also missed queue nodes whose first INFO, sent while they were still starting,
// listed no services yet; so the ring is read from the registry whenever services change.
import type { ServiceBroker } from "moleculer";
import { ringMembers, type EndpointRegistry } from "../../config/broker/consistent-shard-strategy.ts";

/** The ring's members for `action`, read as the shard strategy reads them. */
export const hostsOf = (broker: ServiceBroker, action: string) => (): string[] => ringMembers(broker.registry as unknown as EndpointRegistry, action) ?? [];

/** Tells whether a node has joined the ring since it last looked (a node leaving is not a join). */
export class RingJoins {
  private members = new Set<string>();

  constructor(private readonly hosts: () => Iterable<string>) {}

  joined(): boolean {
    const now = new Set(this.hosts());
    const joined = [...now].some((id) => !this.members.has(id));
    this.members = now;
    return joined;
  }
}
