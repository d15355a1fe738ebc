// One pass over documents read from a cursor, written on in batches: the backfills that
// give an older database what a newer version writes as it goes.

/** Hands `docs` to `write` `size` at a time; tells `onBatch` how many were handed so far. Answers that count. */
export async function inBatches<T>(docs: AsyncIterable<T>, size: number, write: (batch: T[]) => Promise<void>, onBatch?: (done: number) => void): Promise<number> {
  let done = 0;
  let batch: T[] = [];
  const flush = async () => {
    await write(batch);
    done += batch.length;
    batch = [];
    onBatch?.(done);
  };
  for await (const doc of docs) {
    batch.push(doc);
    if (batch.length === size) await flush();
  }
  if (batch.length) await flush();
  return done;
}
