// What a server's heap holds per socket: two V8 heap snapshots taken at two socket counts
// (`npm run load:socket-memory -- --snapshots DIR`), their objects grouped by kind and
// constructor, and the groups that grew, per added socket. Self sizes only: an object's
// own bytes, not what it keeps alive.
//
//   npx tsx load-tests/heap-diff.ts <fewer.heapsnapshot> <more.heapsnapshot> <sockets added> [rows=25]
import { readFileSync } from "node:fs";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Count and self size of each "kind constructor" group. */
function groups(file: string): Map<string, { count: number; bytes: number }> {
  const heap = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  const fields = heap.snapshot.meta.node_fields;
  const [type, name, size] = ["type", "name", "self_size"].map((f) => fields.indexOf(f)) as [number, number, number];
  const types = heap.snapshot.meta.node_types[0];
  const result = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < heap.nodes.length; i += fields.length) {
    const kind = types[heap.nodes[i + type]!]!;
    // Strings and code are named after their content: group them by kind alone.
    const key = ["object", "closure", "native", "hidden", "array"].includes(kind) ? `${kind} ${heap.strings[heap.nodes[i + name]!]!.slice(0, 60)}` : kind;
    const group = result.get(key) ?? { count: 0, bytes: 0 };
    group.count++;
    group.bytes += heap.nodes[i + size]!;
    result.set(key, group);
  }
  return result;
}

const [fewer, more, added, rows = "25"] = process.argv.slice(2);
if (!fewer || !more || !added) throw new Error("usage: <fewer.heapsnapshot> <more.heapsnapshot> <sockets added> [rows]");
const before = groups(fewer);
const after = groups(more);
const sockets = Number(added);
const grown = [...after]
  .map(([key, a]) => ({ key, count: a.count - (before.get(key)?.count ?? 0), bytes: a.bytes - (before.get(key)?.bytes ?? 0) }))
  .filter((g) => g.bytes > 0)
  .sort((x, y) => y.bytes - x.bytes);
const total = grown.reduce((s, g) => s + g.bytes, 0);
console.log(`grown: ${Math.round(total / sockets)} B per socket in all (self sizes)`);
for (const g of grown.slice(0, Number(rows))) {
  console.log(`${(g.bytes / sockets).toFixed(1).padStart(8)} B  ${(g.count / sockets).toFixed(2).padStart(6)} per socket  ${g.key}`);
}
