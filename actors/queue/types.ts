// The shapes a queue actor owns and speaks. Snake_case fields travel as they are — into
// MongoDB, onto the bus, out to clients — so the state is plain JSON: arrays and plain
// objects only, rebuilt by a host from a stored document without any reviver.

export const PRIORITY_CLASSES = ["normal", "elderly", "pregnant", "disabled", "vip"] as const;
export type PriorityClass = (typeof PRIORITY_CLASSES)[number];

export const CHANNELS = ["mobile", "kiosk", "agent", "sms"] as const;
export type Channel = (typeof CHANNELS)[number];

/** Where a citizen is told their turn is near. */
export const NEAR_CHANNELS = ["in_app", "push", "sms"] as const;
export type NearChannel = (typeof NEAR_CHANNELS)[number];

/** When and how a citizen wants to hear that their turn is near: from a place in the line,
 * or from a number of minutes of estimated wait, on the channels they chose. */
export interface NearPreference {
  by: "position" | "minutes";
  within: number;
  channels: NearChannel[];
}

export const OPEN_STATUSES: ReadonlySet<string> = new Set(["waiting", "called", "serving"]);
/** A ticket's last statuses: it ended for good (a transferred ticket lives on in its next
 * queue), so no later version of it can follow. */
export const ENDED_STATUSES: ReadonlySet<string> = new Set(["completed", "cancelled", "no_show", "expired"]);
export type OpenStatus = "waiting" | "called" | "serving";
export type FinalStatus = "completed" | "cancelled" | "no_show" | "transferred" | "expired";
export type TicketStatus = OpenStatus | FinalStatus;

// A type, not an interface: it travels in loosely typed contracts (queue-changed.ts).
export type Ticket = {
  id: string;
  queue_id: string;
  number: string;
  /** Local calendar day (YYYY-MM-DD) the number belongs to. */
  day: string;
  status: TicketStatus;
  channel: Channel;
  priority: PriorityClass;
  user_id: string | null;
  appointment_id: string | null;
  /** Epoch ms of the appointment this ticket checks in for. */
  appointment_at: number | null;
  /** Epoch ms; kept across a transfer so the citizen does not lose their place in time. */
  issued_at: number;
  /** Epoch ms of the latest call (a recall moves it). */
  called_at: number | null;
  /** Epoch ms of the first call in this queue, which ends the wait (absent: not called yet,
   * or called before it was kept). */
  first_called_at?: number;
  started_at: number | null;
  finished_at: number | null;
  counter_id: string | null;
  recalls: number;
  /** Queue id the ticket came from, when it was transferred in. */
  transferred_from: string | null;
  /** How many times the ticket was transferred in (absent: never). Its versions written by
   * two queues are ordered by this first, since their journals' seqs do not compare. */
  transfers?: number;
  reason: string | null;
  /** The citizen's own "turn near" (absent: the office's default). */
  notify_near?: NearPreference;
  /** Its service's fee (absent: none) and how it is settled. */
  fee?: TicketFee;
};

/** A fee-bearing ticket's fee, in XOF, and the payment that paid it before the ticket was
 * issued, or null: to pay at the counter (only staff issue a ticket so). */
export interface TicketFee {
  xof: number;
  payment_id: string | null;
}

export interface Counter {
  id: string;
  name: string;
  open: boolean;
  /** The ticket called to or served at this counter. */
  ticket_id: string | null;
}

export interface QueuePolicy {
  prefix: string;
  /** IANA zone whose midnight restarts the numbering. */
  time_zone: string;
  /** Recalls owed to a called ticket before it may be marked a no-show. */
  max_recalls: number;
  head_start_ms: Record<PriorityClass, number>;
  appointment_head_start_ms: number;
  /** A check-in counts as due from this long before its appointment. */
  appointment_window_ms: number;
  /** Service time assumed until one has been observed. */
  default_service_ms: number;
  /** The wait (issue → first call) the office aims to stay within; absent: the
   * deployment's default (MONITOR_TARGET_WAIT_MINUTES), which the machine does not know. */
  target_wait_ms?: number;
}

export type PolicyPatch = Partial<Omit<QueuePolicy, "head_start_ms">> & {
  head_start_ms?: Partial<Record<PriorityClass, number>>;
};

export type QueueStatus = "open" | "paused" | "closed";

export interface ServiceTimes {
  queue: number | null;
  by_counter: Record<string, number>;
  /** Services observed so far (capped); absent in states from before it was kept. */
  samples?: number;
}

/** The service time a queue plans with, and what it rests on (shown in its status). */
export interface ServiceEstimate {
  service_ms: number;
  /** "expected": the policy's duration alone; "blended": observed services weighed in. */
  basis: "expected" | "blended";
  observed_services: number;
}

export interface QueueState {
  queue_id: string;
  status: QueueStatus;
  /** Bumped by exactly one per accepted command; live clients spot gaps with it. */
  version: number;
  /** Local day of the current numbering sequence; "" before the first ticket. */
  day: string;
  sequence: number;
  policy: QueuePolicy;
  /** Open tickets only (waiting, called, serving): finished ones live on in events. */
  tickets: Ticket[];
  counters: Counter[];
  service_ms: ServiceTimes;
  /**
   * Tickets sent to another queue whose arrival there is not confirmed yet: a transfer is
   * two commands on two queues, and whoever finds one of these stranded (the node that
   * sent it died between the two) completes it, or brings the ticket back. Absent in states
   * stored before transfers were recorded.
   */
  outbound?: OutboundTransfer[];
  /** When the queue was last closed (epoch ms); absent while open, and in states stored before it was kept. */
  closed_at?: number;
}

export interface OutboundTransfer {
  ticket: Ticket;
  to_queue_id: string;
  /** When the ticket left (epoch ms). */
  at: number;
}

/** What travels with a transferred ticket; the host copies it from `ticket.transferred_out`. */
export type TransferredTicket = Pick<
  Ticket,
  "id" | "number" | "issued_at" | "priority" | "channel" | "user_id" | "appointment_id" | "appointment_at" | "transfers" | "notify_near" | "fee"
>;

type NoPayload = Record<never, never>;

interface CommandPayloads {
  issue: {
    ticket_id: string;
    channel: Channel;
    priority: PriorityClass;
    user_id?: string | null;
    appointment_id?: string | null;
    appointment_at?: number | null;
    notify_near?: NearPreference | null;
    fee?: TicketFee | null;
  };
  /** The citizen changes (or, with null, drops) their "turn near" on a waiting ticket. */
  set_notify_near: { ticket_id: string; notify_near: NearPreference | null };
  transfer_in: { ticket: TransferredTicket; from_queue_id: string };
  cancel: { ticket_id: string; reason?: string | null };
  call_next: { counter_id: string };
  call: { ticket_id: string; counter_id: string };
  recall: { ticket_id: string };
  no_show: { ticket_id: string };
  start: { ticket_id: string };
  complete: { ticket_id: string };
  transfer_out: { ticket_id: string; to_queue_id: string };
  /** The target confirmed the arrival of a ticket this queue sent it. */
  transfer_settled: { ticket_id: string };
  pause: NoPayload;
  resume: NoPayload;
  close: { reason?: string | null };
  /** `if_closed_before`: open only a queue closed before then (epoch ms), e.g. the day's
   * opening time, so that a queue someone closed since stays closed. */
  open: { if_closed_before?: number };
  open_counter: { counter_id: string; name: string };
  close_counter: { counter_id: string };
  configure: { policy: PolicyPatch };
}

export type CommandType = keyof CommandPayloads;
/** `at` is the host's clock (epoch ms): the machine never reads one itself. `by` is the
 * staff member who gave the command (a user id; absent for citizens and the system): its
 * events carry it on, so figures can be kept per agent. */
export type Command = { [K in CommandType]: { type: K; at: number; by?: string } & CommandPayloads[K] }[CommandType];
export type CommandOf<K extends CommandType> = Extract<Command, { type: K }>;

interface EventPayloads {
  "ticket.issued": { ticket: Ticket };
  "ticket.transferred_in": { ticket: Ticket; from_queue_id: string };
  /** `position`: its place in line when it left, if it was waiting (abandonment by position). */
  "ticket.cancelled": { ticket: Ticket; position?: number };
  "ticket.notify_near_set": { ticket: Ticket };
  // Counter names ride along so a notifier can say where to go without the actor's state.
  "ticket.called": { ticket: Ticket; counter_name: string };
  "ticket.recalled": { ticket: Ticket; counter_name: string };
  "ticket.no_show": { ticket: Ticket };
  "ticket.started": { ticket: Ticket };
  /** `target_wait_ms`: the queue's target wait when it has its own (analytics counts the served within it). */
  "ticket.completed": { ticket: Ticket; target_wait_ms?: number };
  "ticket.transferred_out": { ticket: Ticket; to_queue_id: string };
  "transfer.settled": { ticket_id: string; to_queue_id: string };
  "ticket.expired": { ticket: Ticket };
  "queue.paused": NoPayload;
  "queue.resumed": NoPayload;
  "queue.closed": { reason: string };
  "queue.opened": NoPayload;
  "counter.opened": { counter: Counter };
  "counter.closed": { counter: Counter };
  "queue.configured": { policy: QueuePolicy };
}

export type EventType = keyof EventPayloads;
type EventEnvelope<K extends EventType> = { type: K; queue_id: string; version: number; at: number; by?: string };
export type QueueEvent = { [K in EventType]: EventEnvelope<K> & EventPayloads[K] }[EventType];
export type EventOf<K extends EventType> = Extract<QueueEvent, { type: K }>;
/** An event before the machine stamps it with the queue, version and time. */
export type EventDraft = { [K in EventType]: { type: K } & EventPayloads[K] }[EventType];

export type ErrorCode =
  | "ticket_not_found"
  | "duplicate_ticket"
  | "invalid_transition"
  | "queue_closed"
  | "queue_paused"
  | "counter_not_found"
  | "counter_closed"
  | "counter_busy"
  | "queue_empty"
  | "recalls_remaining"
  | "counter_has_ticket"
  | "invalid_policy"
  | "invalid_command";

export interface Rejection {
  code: ErrorCode;
  message: string;
}

export type Accepted = { ok: true; state: QueueState; events: QueueEvent[] };
export type Rejected = { ok: false; error: Rejection };
export type Decision = Accepted | Rejected;

export interface WaitingEntry {
  ticket_id: string;
  number: string;
  position: number;
  estimated_wait_ms: number;
}

/** A waiting ticket as the host announces it with each change, for "your turn is near". */
export interface AnnouncedEntry extends WaitingEntry {
  user_id: string | null;
  notify_near: NearPreference | null;
}

export interface NowServing {
  counter_id: string;
  counter_name: string;
  ticket_id: string;
  number: string;
  status: "called" | "serving";
}

export interface QueueSnapshot {
  queue_id: string;
  status: QueueStatus;
  version: number;
  day: string;
  waiting_count: number;
  now_serving: NowServing[];
  next: WaitingEntry[];
  counters: Counter[];
  estimate: ServiceEstimate;
}
