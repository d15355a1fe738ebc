// The appointments service's documents as the API shows them: an appointment without its
// seat and change count (bookkeeping of booking.ts), a slot with its places booked and left.
import { bookedSeats, type AppointmentDoc, type AppointmentsStore, type SlotDoc } from "./store.ts";

export function appointmentToWire(doc: AppointmentDoc) {
  const { _id, seat_id: _seat, changes: _changes, ...rest } = doc;
  return { id: _id, ...rest };
}

export function slotToWire(doc: SlotDoc, booked: number) {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest, booked, remaining: Math.max(0, doc.capacity - booked) };
}

/** Slots as the API shows them, their booked seats counted in one read. */
export async function slotsToWire(store: AppointmentsStore, slots: SlotDoc[]) {
  const booked = await bookedSeats(store, slots.map((s) => s._id));
  return slots.map((slot) => slotToWire(slot, booked.get(slot._id) ?? 0));
}
