// Who a user is and how to reach them, remembered for a few seconds per node: a queue's
// changes ask for the same citizens many times a minute. A changed phone number or locale
// is seen after at most that long.
const MAX_ENTRIES = 10_000;

export class ContactCache<C> {
  private readonly entries = new Map<string, { value: Promise<C>; until: number }>();

  constructor(private readonly ttlMs: number, private readonly now: () => number = Date.now) {}

  wrap(load: (id: string) => Promise<C>): (id: string) => Promise<C> {
    return (id) => {
      const hit = this.entries.get(id);
      if (hit && hit.until > this.now()) return hit.value;
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      const value = load(id);
      this.entries.set(id, { value, until: this.now() + this.ttlMs });
      // A failed lookup is not remembered.
      value.catch(() => this.entries.delete(id));
      return value;
    };
  }
}
