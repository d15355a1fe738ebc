// Every figure in the report is the median of several runs, shown with its spread.
export interface Figure {
  median: number | null;
  min: number | null;
  max: number | null;
  runs: Array<number | null>;
}

export function figure(values: Array<number | null | undefined>): Figure {
  const runs = values.map((v) => (v === undefined || v === null || Number.isNaN(v) ? null : v));
  const known = runs.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (known.length === 0) return { median: null, min: null, max: null, runs };
  const mid = known.length >> 1;
  const median = known.length % 2 ? known[mid]! : (known[mid - 1]! + known[mid]!) / 2;
  return { median, min: known[0]!, max: known.at(-1)!, runs };
}

/** Runs `once` n times in a row (never concurrently: they would share the cores). */
export async function repeat<T>(n: number, once: (run: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let run = 0; run < n; run++) results.push(await once(run));
  return results;
}
