// Which node counts a `queue.changed`. Every node hears every broadcast; the queue's
// owner, which sent it, counts it when it runs analytics (so one node writes a queue's
// rollups), else the first node running analytics by name. Decided from the registry
// alone, with no write to agree on it: the rollups' versions make a change that two nodes
// counted (while their registries disagree, during a failover) count once.

/** Whether `self` counts a change `sender` broadcast, given the nodes running analytics. */
export function countsChange(analyticsNodes: readonly string[], sender: string, self: string): boolean {
  if (analyticsNodes.includes(sender)) return sender === self;
  return [...analyticsNodes].sort()[0] === self;
}
