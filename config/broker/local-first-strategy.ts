// The default balancing strategy: a local endpoint when there is one, else round-robin.
// Moleculer's own `preferLocal` cannot be used: it is registry-wide and is checked
// before any strategy runs, so it would also short-circuit the Shard strategy that
// routes queue-actor calls to the node owning the queue.
import { Strategies, type Endpoint } from "moleculer";

export class LocalFirstStrategy extends Strategies.Base {
  private counter = 0;

  select(list: Endpoint[]): Endpoint {
    const local = list.find((endpoint) => endpoint.local);
    if (local) return local;
    this.counter = (this.counter + 1) % list.length;
    return list[this.counter]!;
  }
}
