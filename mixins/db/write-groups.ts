// A group commit for writes of one kind on one collection: writes asked for while one
// database command is in flight there go together in the next. Alone, a write is one
// command as before; in a busy office the writes of many requests share one, where each
// was a command and, on the embedded server, a transaction with its own fsync.
// Each write is answered by what the command said of it; a command that fails fails its
// whole group.

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

/** Writes per command, at most. */
const MAX_GROUP = 500;

export class WriteGroups<T, R> {
  private waiting: Array<Waiting<T, R>> = [];
  private writing = false;

  /** `write`: one command for the whole group, answering each write's result in order. */
  constructor(private readonly write: (items: T[]) => Promise<R[]>) {}

  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.writing) void this.writeWhileWaiting();
    });
  }

  private async writeWhileWaiting(): Promise<void> {
    this.writing = true;
    while (this.waiting.length) {
      const group = this.waiting.splice(0, MAX_GROUP);
      try {
        const results = await this.write(group.map((w) => w.item));
        group.forEach((w, i) => w.resolve(results[i]!));
      } catch (err) {
        for (const w of group) w.reject(err);
      }
    }
    this.writing = false;
  }
}

/** One WriteGroups per key (a model), made on first use. */
export function groupsPer<K extends object, T, R>(make: (key: K) => WriteGroups<T, R>): (key: K) => WriteGroups<T, R> {
  const groups = new WeakMap<K, WriteGroups<T, R>>();
  return (key) => {
    let found = groups.get(key);
    if (!found) groups.set(key, (found = make(key)));
    return found;
  };
}
