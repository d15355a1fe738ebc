// Closed-loop load: each worker repeats its step back to back (the next request leaves when
// the previous answer is in) until the time is up; then every worker finishes its step.
// A step that answers `false` has run out of work: its worker stops there.
export async function closedLoops(seconds: number, workers: Array<() => Promise<void | boolean>>): Promise<number> {
  const began = performance.now();
  const deadline = began + seconds * 1000;
  await Promise.all(
    workers.map(async (step) => {
      while (performance.now() < deadline) if ((await step()) === false) return;
    }),
  );
  return (performance.now() - began) / 1000;
}
