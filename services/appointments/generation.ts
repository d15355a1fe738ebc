// Keeping a service's rolling window of bookable slots: plan from its hours, compare with
// what is stored, write the difference. Safe to run twice or on two nodes at once: slots
// are keyed by service and start, so a second insert of one is a duplicate and ignored.
import { duplicateIndexes } from "../../mixins/db/claim.ts";
import { deleteByIds } from "../../mixins/db/delete-by-ids.ts";
import { DEFAULT_OPENING_HOURS, DEFAULT_TIME_ZONE, type OpeningHours } from "../business/opening-hours.ts";
import { planSlots } from "./slots/generate.ts";
import { reconcileSlots, type SlotChanges } from "./slots/reconcile.ts";
import { seatId } from "./booking.ts";
import { mapLimited } from "../../mixins/db/limited.ts";
import { bookedSeats, slotsBetween, type AppointmentsStore } from "./store.ts";

export interface ServiceForSlots {
  id: string;
  organization_id: string;
  branch_id: string | null;
  slot_minutes: number;
  slot_capacity: number;
  opening_hours: OpeningHours | null;
}

export interface BranchForSlots {
  time_zone: string;
  holidays: string[];
  opening_hours: OpeningHours;
}

export type GenerationCounts = { created: number; removed: number; kept: number };

/** Only a service that takes appointments and is active has slots kept. */
export const takesAppointments = (service: { appointments_enabled: boolean; is_active: boolean }) => service.appointments_enabled && service.is_active;

const DAY_MS = 86_400_000;
/** Services whose stored slots are read at once. */
const READS_IN_FLIGHT = 8;

/** The slots stored in a window and their booked places, read once for a whole run. */
export interface StoredSlots {
  keysOf(serviceId: string): string[];
  booked: Map<string, number>;
  capacity: Map<string, number>;
}

/**
 * Each service's window read as ranges of its slots' keys (slots/key.ts): a read of that
 * window, whatever the slots of past days. A filter on service_id or starts_at scans the
 * whole collection on FerretDB (measured: 100 services, 14 days, 14,400 slots — 137 s for
 * a run with nothing to write when each service read its own so; see
 * load-tests/slot-writes.ts for the figure now).
 */
export async function storedSlots(store: AppointmentsStore, from: Date, days: number, serviceIds: readonly string[]): Promise<StoredSlots> {
  // Local days can start up to 14 h either side of UTC midnight: read a little wider.
  const until = new Date(from.getTime() + (days + 1) * DAY_MS);
  const perService = await mapLimited(serviceIds, READS_IN_FLIGHT, (id) => slotsBetween(store, id, from, until));
  const byService = new Map(serviceIds.map((id, i) => [id, perService[i]!.map((slot) => slot._id)]));
  const stored = perService.flat();
  const booked = await bookedSeats(store, stored.map((s) => s._id));
  return { keysOf: (id) => byService.get(id) ?? [], booked, capacity: new Map(stored.map((s) => [s._id, s.capacity])) };
}

/**
 * Keeps the window (`days` from `from`) of each service, each branch read once; with
 * `serviceId`, that service's alone. Answers the run's totals.
 */
export async function generateSlots(
  store: AppointmentsStore,
  services: ServiceForSlots[],
  branchOf: (id: string) => Promise<BranchForSlots | null>,
  { from, days, serviceId }: { from: Date; days: number; serviceId?: string },
) {
  const totals = { services: services.length, created: 0, removed: 0, kept: 0 };
  if (services.length === 0) return totals;
  const stored = await storedSlots(store, from, days, serviceId ? [serviceId] : services.map((s) => s.id));
  const branches = new Map<string, BranchForSlots | null>();
  for (const service of services) {
    let branch: BranchForSlots | null = null;
    if (service.branch_id) {
      if (!branches.has(service.branch_id)) branches.set(service.branch_id, await branchOf(service.branch_id));
      branch = branches.get(service.branch_id)!;
    }
    const counts = await generateServiceSlots(store, stored, service, branch, from, days);
    totals.created += counts.created;
    totals.removed += counts.removed;
    totals.kept += counts.kept;
  }
  return totals;
}

export async function generateServiceSlots(store: AppointmentsStore, stored: StoredSlots, service: ServiceForSlots, branch: BranchForSlots | null, from: Date, days: number): Promise<GenerationCounts> {
  const planned = planSlots(
    {
      service_id: service.id,
      branch_id: service.branch_id,
      organization_id: service.organization_id,
      time_zone: branch?.time_zone ?? DEFAULT_TIME_ZONE,
      opening_hours: service.opening_hours ?? branch?.opening_hours ?? DEFAULT_OPENING_HOURS,
      holidays: branch?.holidays ?? [],
      slot_minutes: service.slot_minutes,
      capacity: service.slot_capacity,
    },
    from,
    days,
  );
  const changes = reconcileSlots(stored.keysOf(service.id).map((key) => ({ key, booked: stored.booked.get(key) ?? 0 })), planned, from);
  const removed = await write(store, changes, stored.capacity);
  return { created: changes.create.length, removed, kept: changes.keep.length + changes.remove.length - removed };
}

/** Writes the changes; answers how many slots it removed. */
async function write(store: AppointmentsStore, changes: SlotChanges, capacity: Map<string, number>): Promise<number> {
  if (changes.create.length > 0) {
    const docs = changes.create.map(({ key, ...slot }) => ({ _id: key, ...slot }));
    try {
      await store.slots.insertMany(docs, { ordered: false });
    } catch (err) {
      if (duplicateIndexes(err) === null) throw err; // another run wrote some first: theirs are the same
    }
  }
  if (changes.remove.length === 0) return 0;
  const removable = await claimEverySeat(store, changes.remove, capacity);
  await deleteByIds(store.slots, removable);
  // A booking that read a slot before it went and claims a seat after this finds the slot
  // gone and gives the seat back (booking.ts, placeInSlot).
  await deleteByIds(store.seats, removable.flatMap((id) => seatsOf(id, capacity)));
  return removable.length;
}

const seatsOf = (slotId: string, capacity: Map<string, number>) => Array.from({ length: capacity.get(slotId) ?? 1 }, (_, n) => seatId(slotId, n));

/**
 * A slot found empty may have been booked since it was read: it is removed only once
 * every one of its seats is claimed here, by the same inserts a booking makes, so a
 * booking and a removal never both win. Slots whose seats a booking took first are kept
 * (their seats claimed here are given back). Answers the slots that may go.
 */
async function claimEverySeat(store: AppointmentsStore, slotIds: string[], capacity: Map<string, number>): Promise<string[]> {
  const markers = slotIds.flatMap((slot_id) => seatsOf(slot_id, capacity).map((_id) => ({ _id, slot_id, appointment_id: REMOVAL })));
  let theirs = new Set<number>();
  try {
    await store.seats.insertMany(markers, { ordered: false });
  } catch (err) {
    const duplicates = duplicateIndexes(err);
    if (duplicates === null) throw err;
    theirs = new Set(duplicates);
  }
  const taken = new Set([...theirs].map((i) => markers[i]!.slot_id));
  // Give back only our own markers of a kept slot (those inserted here): the seat a booking took is its.
  await deleteByIds(store.seats, markers.filter((m, i) => taken.has(m.slot_id) && !theirs.has(i)).map((m) => m._id));
  return slotIds.filter((id) => !taken.has(id));
}

/** The appointment id a removal's seat claims carry. */
const REMOVAL = "slot-removal";
