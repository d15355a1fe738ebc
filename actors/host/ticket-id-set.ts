// A set of ticket ids small enough to hold a whole day's ended tickets while a day is
// streamed (ticket-views.ts, streamRowsOfDay). A Set of the id strings costs about 150 MB
// of heap per million ids ("<queue>-<unique>", 49 characters each); here a ticket id is
// kept as four 32-bit words — its queue as a small number, its unique part's 12 bytes —
// in fixed-size blocks, with an open-addressing table of their positions: 16 bytes per id
// and 6 to 12 in the table (23 MB for 900,000), nothing for the collector to trace.
// Exact: an id of another shape (upper-case hex, a test's "t-1") is kept as a string
// beside them.

// A ticket id is "<queue id>-<unique id>", both 24 lower-case hex digits
// (services/queues/ticket-ids.ts makes them with ObjectId.toHexString). Lower case only:
// "A" and "a" are different ids.
const DASH = 0x2d;

const WORDS = 4;
const BLOCK_IDS = 1 << 16; // 1 MB of words per block
const MAX_LOAD = 0.7;

export class TicketIdSet {
  private readonly queues = new Map<string, number>();
  private readonly blocks: Uint32Array[] = [];
  /** Position + 1 of each id in the blocks; 0 is an empty slot. Its length is a power of two. */
  private slots = new Int32Array(1 << 10);
  private count = 0;
  private readonly others = new Set<string>();
  private readonly key = new Uint32Array(WORDS);

  get size(): number {
    return this.count + this.others.size;
  }

  add(id: string): void {
    // Before the key is made: growing re-hashes through `key`.
    if (this.count + 1 > this.slots.length * MAX_LOAD) this.grow();
    if (!this.toKey(id, true)) {
      this.others.add(id);
      return;
    }
    if (this.find() >= 0) return;
    const at = this.count++;
    if (at % BLOCK_IDS === 0) this.blocks.push(new Uint32Array(BLOCK_IDS * WORDS));
    this.blocks[this.blocks.length - 1]!.set(this.key, (at % BLOCK_IDS) * WORDS);
    this.place(at);
  }

  has(id: string): boolean {
    return this.toKey(id, false) ? this.find() >= 0 : this.others.has(id);
  }

  /** Fills `key` from a ticket id; false for an id of another shape, or (when not adding)
   * of a queue no id in the set has, which then cannot be in it. */
  private toKey(id: string, adding: boolean): boolean {
    if (id.length !== 49 || id.charCodeAt(24) !== DASH || hexWord(id, 0) < 0 || hexWord(id, 8) < 0 || hexWord(id, 16) < 0) return false;
    const unique = [hexWord(id, 25), hexWord(id, 33), hexWord(id, 41)] as const;
    if (unique[0] < 0 || unique[1] < 0 || unique[2] < 0) return false;
    const queue = id.slice(0, 24);
    let number = this.queues.get(queue);
    if (number === undefined) {
      if (!adding) return false;
      this.queues.set(queue, (number = this.queues.size + 1));
    }
    this.key[0] = number;
    this.key[1] = unique[0];
    this.key[2] = unique[1];
    this.key[3] = unique[2];
    return true;
  }

  /** The position of `key` in the blocks, or -1. */
  private find(): number {
    const mask = this.slots.length - 1;
    for (let slot = hash(this.key) & mask; ; slot = (slot + 1) & mask) {
      const stored = this.slots[slot]!;
      if (stored === 0) return -1;
      if (this.equals(stored - 1)) return stored - 1;
    }
  }

  private equals(at: number): boolean {
    const block = this.blocks[Math.floor(at / BLOCK_IDS)]!;
    const offset = (at % BLOCK_IDS) * WORDS;
    return block[offset] === this.key[0] && block[offset + 1] === this.key[1] && block[offset + 2] === this.key[2] && block[offset + 3] === this.key[3];
  }

  /** Puts position `at`, whose id is in `key`, into the first free slot. */
  private place(at: number): void {
    const mask = this.slots.length - 1;
    let slot = hash(this.key) & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = at + 1;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let at = 0; at < this.count; at++) {
      const block = this.blocks[Math.floor(at / BLOCK_IDS)]!;
      const offset = (at % BLOCK_IDS) * WORDS;
      for (let word = 0; word < WORDS; word++) this.key[word] = block[offset + word]!;
      this.place(at);
    }
  }
}

/** Mixes the four words (murmur3's finaliser on each): ObjectIds that differ in their last
 * byte only land far apart. */
function hash(key: Uint32Array): number {
  let h = 0;
  for (let i = 0; i < WORDS; i++) {
    h = Math.imul(h ^ key[i]!, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** The 8 lower-case hex digits at `from` as an unsigned 32-bit number, or -1. */
function hexWord(id: string, from: number): number {
  let word = 0;
  for (let i = from; i < from + 8; i++) {
    const c = id.charCodeAt(i);
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (digit < 0) return -1;
    word = word * 16 + digit;
  }
  return word;
}
