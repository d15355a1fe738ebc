// Reads what clients were told (their history) against what the journal holds, after a
// chaos run: every acknowledged ticket must be in the journal exactly once, nothing may be
// there that no client asked for, numbers are unique per queue and day and given in
// journal order, and no commit was accepted from a stale tenure of ownership (an epoch
// lower than one already committed for that queue).

export interface IssueRecord {
  /** The Idempotency-Key the client sent (and re-sent until it was answered). */
  key: string;
  queueId: string;
  /** What the client was finally told; null if it never got an answer. */
  ticket: { id: string; number: string } | null;
}

export interface CallRecord {
  queueId: string;
  ticketId: string;
}

export interface JournalCommit {
  queue_id: string;
  seq: number;
  epoch: number;
  events: Array<{ type: string; ticket?: { id: string; number: string; day: string } }>;
}

export interface ChaosReport {
  issued: { acknowledged: number; found: number; lost: string[]; duplicated: string[]; unexpected: string[]; unanswered: number };
  calls: { acknowledged: number; found: number; lost: string[] };
  numbers_used_twice: string[];
  out_of_order: string[];
  stale_writes: string[];
  ok: boolean;
}

export function checkHistory(issues: IssueRecord[], calls: CallRecord[], commits: JournalCommit[]): ChaosReport {
  const byQueue = new Map<string, JournalCommit[]>();
  for (const commit of commits) byQueue.set(commit.queue_id, [...(byQueue.get(commit.queue_id) ?? []), commit]);
  const issuedIn = new Map<string, number>();
  const calledIn = new Set<string>();
  const numbersUsedTwice: string[] = [];
  const outOfOrder: string[] = [];
  const staleWrites: string[] = [];
  for (const [queueId, queueCommits] of byQueue) {
    queueCommits.sort((a, b) => a.seq - b.seq);
    let epoch = -Infinity;
    const numbers = new Set<string>();
    let last = { day: "", n: 0 };
    for (const commit of queueCommits) {
      if (commit.epoch < epoch) staleWrites.push(`${queueId}#${commit.seq}: epoch ${commit.epoch} after ${epoch}`);
      epoch = Math.max(epoch, commit.epoch);
      for (const event of commit.events) {
        if (!event.ticket) continue;
        if (event.type === "ticket.called") calledIn.add(`${queueId}/${event.ticket.id}`);
        if (event.type !== "ticket.issued") continue;
        const { id, number, day } = event.ticket;
        issuedIn.set(id, (issuedIn.get(id) ?? 0) + 1);
        const numbered = `${queueId}/${day}/${number}`;
        if (numbers.has(numbered)) numbersUsedTwice.push(numbered);
        numbers.add(numbered);
        const n = Number(/(\d+)$/.exec(number)?.[1] ?? 0);
        if (day === last.day && n <= last.n) outOfOrder.push(`${numbered} after ${last.n}`);
        last = { day, n };
      }
    }
  }
  const acknowledged = issues.filter((i) => i.ticket);
  const askedFor = new Set(acknowledged.map((i) => i.ticket!.id));
  const lost = acknowledged.filter((i) => !issuedIn.has(i.ticket!.id)).map((i) => i.ticket!.id);
  const duplicated = [...issuedIn].filter(([, times]) => times > 1).map(([id]) => id);
  const unexpected = [...issuedIn.keys()].filter((id) => !askedFor.has(id));
  const lostCalls = calls.filter((c) => !calledIn.has(`${c.queueId}/${c.ticketId}`)).map((c) => c.ticketId);
  return {
    issued: { acknowledged: acknowledged.length, found: acknowledged.length - lost.length, lost, duplicated, unexpected, unanswered: issues.length - acknowledged.length },
    calls: { acknowledged: calls.length, found: calls.length - lostCalls.length, lost: lostCalls },
    numbers_used_twice: numbersUsedTwice,
    out_of_order: outOfOrder,
    stale_writes: staleWrites,
    ok: !lost.length && !duplicated.length && !unexpected.length && !lostCalls.length && !numbersUsedTwice.length && !outOfOrder.length && !staleWrites.length && issues.length === acknowledged.length,
  };
}
