// Keeping a service's rolling window of bookable slots: plan from its hours, compare with
// what is stored, write the difference. Safe to run twice or on two nodes at once: slots
// are keyed by service and start, so a second insert of one is a duplicate and ignored.
import { duplicateIndexes } from "../../mixins/db/claim.ts";
import { DEFAULT_OPENING_HOURS, DEFAULT_TIME_ZONE, type OpeningHours } from "../business/opening-hours.ts";
import { planSlots } from "./slots/generate.ts";
import { reconcileSlots, type SlotChanges } from "./slots/reconcile.ts";
import { bookedSeats, type AppointmentsStore } from "./store.ts";

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

const DAY_MS = 86_400_000;

/** The slots stored in a window and their booked places, read once for a whole run. */
export interface StoredSlots {
  keysOf(serviceId: string): string[];
  booked: Map<string, number>;
}

/**
 * One read for the run, not one per service: FerretDB answers any filter but `_id` by
 * scanning the whole collection (measured: 100 services, 14 days, 14,400 slots — 137 s
 * for a run with nothing to write when each service read its own; see
 * load-tests/slot-writes.ts for the figure now).
 */
export async function storedSlots(store: AppointmentsStore, from: Date, days: number, serviceId?: string): Promise<StoredSlots> {
  // Local days can start up to 14 h either side of UTC midnight: read a little wider.
  const window = { starts_at: { $gte: from, $lt: new Date(from.getTime() + (days + 1) * DAY_MS) } };
  const stored = await store.slots.find(serviceId ? { ...window, service_id: serviceId } : window, { _id: 1, service_id: 1 }).lean();
  const byService = new Map<string, string[]>();
  for (const slot of stored) byService.set(slot.service_id, [...(byService.get(slot.service_id) ?? []), slot._id]);
  const booked = await bookedSeats(store, stored.map((s) => s._id));
  return { keysOf: (id) => byService.get(id) ?? [], booked };
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
  await write(store, changes);
  return { created: changes.create.length, removed: changes.remove.length, kept: changes.keep.length };
}

async function write(store: AppointmentsStore, changes: SlotChanges) {
  if (changes.create.length > 0) {
    const docs = changes.create.map(({ key, ...slot }) => ({ _id: key, ...slot }));
    try {
      await store.slots.insertMany(docs, { ordered: false });
    } catch (err) {
      if (duplicateIndexes(err) === null) throw err; // another run wrote some first: theirs are the same
    }
  }
  if (changes.remove.length > 0) await store.slots.deleteMany({ _id: { $in: changes.remove } });
}
