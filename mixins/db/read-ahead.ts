// A cursor read one batch ahead. The driver asks for the next batch only once the reader
// has used up the last one, so the database waits while the reader works and the reader
// waits while the database reads. Here the next batch is asked for as soon as one arrives,
// and comes while the reader turns the one it has into output: at most two batches held.
import type { AbstractCursor } from "mongodb";

export async function* readAhead<T>(cursor: AbstractCursor<T>): AsyncGenerator<T> {
  let more = cursor.hasNext();
  try {
    while (await more) {
      const batch = cursor.readBufferedDocuments();
      more = cursor.hasNext();
      // Awaited on the next turn, or in `finally` if the reader stops first: never unhandled.
      more.catch(() => {});
      yield* batch;
    }
  } finally {
    // A reader that stopped early (a client gone): the batch on its way lands, then is
    // dropped, and the cursor is closed on the server — one request on it at a time.
    await more.catch(() => false);
    cursor.readBufferedDocuments();
    await cursor.close();
  }
}
