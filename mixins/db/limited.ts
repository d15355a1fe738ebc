// Many small database calls, a few at a time. Fired all at once (Promise.all over a
// batch of hundreds), they take every connection of the driver's pool, and every other
// request of the node — a journal append, a token check — queues behind them.

/** `fn` over `items` with at most `limit` calls in flight; results in the items' order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
