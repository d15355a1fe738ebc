// Limits a client cannot talk its way around: how many sockets one address may hold open
// (screens behind one office router share an address, so the cap is generous), and how
// many messages one socket may send (pings and re-syncs are a few a minute; a flood is
// abuse). Both are counted per node, in memory: a socket lives on one node.

/** Sockets open or being admitted, per client address. */
export class SocketsPerAddress {
  private readonly held = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** false when the address holds `max` already; otherwise counts one more. */
  take(address: string): boolean {
    const held = this.held.get(address) ?? 0;
    if (held >= this.max) return false;
    this.held.set(address, held + 1);
    return true;
  }

  release(address: string): void {
    const held = (this.held.get(address) ?? 1) - 1;
    if (held <= 0) this.held.delete(address);
    else this.held.set(address, held);
  }
}

/** A token bucket per socket: `burst` messages at once, `perSecond` on average. */
export class MessageBudget {
  private tokens: number;
  private at: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.at = now();
  }

  /** false once the socket has sent faster than allowed. */
  spend(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
