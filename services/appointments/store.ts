// The appointments service's collections. Every write that must happen at most once is
// an insert under a unique _id (mixins/db/claim.ts): a seat of a slot, a citizen's
// 5-minute step of time, a check-in. Releasing is a delete by _id.
import { Schema, type Connection, type Model } from "mongoose";
import { groupBy } from "../../mixins/group-by.ts";
import { dropIndexes, ensureIndexes, modelOf } from "../../mixins/db/models.ts";
import type { PlannedSlot } from "./slots/generate.ts";
import { serviceOfSlotKey, slotKeyRanges, startOfSlotKey } from "./slots/key.ts";

/** `awaiting_payment`: booked for a service with a deposit, its place held until the payment succeeds (then `booked`) or fails (then `cancelled`). */
export const APPOINTMENT_STATUSES = ["awaiting_payment", "booked", "cancelled", "checked_in", "no_show"] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** A planned slot as stored: its key (slotKey(service_id, starts_at)) is its _id. */
export type SlotDoc = Omit<PlannedSlot, "key"> & { _id: string };

export interface AppointmentDoc {
  _id: string;
  slot_id: string;
  /** `${slot_id}#${n}`: the seat this appointment holds. */
  seat_id: string;
  service_id: string;
  branch_id: string | null;
  organization_id: string;
  user_id: string;
  starts_at: Date;
  ends_at: Date;
  status: AppointmentStatus;
  ticket_id: string | null;
  booked_by: string;
  /** How many times it was moved or cancelled: a change claims `<id>#<changes>` first
   * (store.changes), so that of two changes made from one state only one goes through. */
  changes?: number;
  created_at: Date;
  updated_at: Date;
}

/** One place of a slot; present while an appointment holds it. */
export interface SeatDoc {
  _id: string;
  slot_id: string;
  appointment_id: string;
}

/** `${user_id}@${step ISO}`: a citizen's 5 minutes, held by one appointment. */
export interface UserStepDoc {
  _id: string;
  appointment_id: string;
}

/** `_id` = appointment id: the ticket a check-in issues, chosen once. */
export interface CheckInDoc {
  _id: string;
  ticket_id: string;
}

const timestamps = { createdAt: "created_at", updatedAt: "updated_at" } as const;

/** Where and when a slot is. An appointment carries its slot's: copied when it is booked, replaced when it moves. */
const slotPlace = {
  service_id: { type: String, required: true },
  branch_id: { type: String, default: null },
  organization_id: { type: String, required: true },
  starts_at: { type: Date, required: true },
  ends_at: { type: Date, required: true },
};

const slotSchema = new Schema<SlotDoc>(
  { _id: String, ...slotPlace, capacity: { type: Number, required: true } },
  { collection: "appointment_slots", versionKey: false },
);
slotSchema.index({ service_id: 1 }); // listings and generation read a service's slots

const appointmentSchema = new Schema<AppointmentDoc>(
  {
    _id: String,
    slot_id: { type: String, required: true },
    seat_id: { type: String, required: true },
    ...slotPlace,
    user_id: { type: String, required: true },
    status: { type: String, enum: APPOINTMENT_STATUSES, default: "booked" },
    ticket_id: { type: String, default: null },
    booked_by: { type: String, required: true },
    changes: { type: Number, default: 0 },
  },
  { collection: "appointments", timestamps, versionKey: false },
);

const seatSchema = new Schema<SeatDoc>(
  { _id: String, slot_id: { type: String, required: true }, appointment_id: { type: String, required: true } },
  { collection: "slot_seats", versionKey: false },
);

const userStepSchema = new Schema<UserStepDoc>({ _id: String, appointment_id: { type: String, required: true } }, { collection: "user_slot", versionKey: false });

/** `<appointment id>#<n>`: the n-th change (move or cancellation) of an appointment, made once. */
const changeSchema = new Schema<ClaimedChangeDoc>({ _id: String, at: { type: Date, required: true } }, { collection: "appointment_changes", versionKey: false });

/** `<length>:<user>:<appointment id>`: the citizen holds the appointment (citizen-appointments.ts). */
const citizenAppointmentSchema = new Schema<{ _id: string }>({ _id: String }, { collection: "citizen_appointments", versionKey: false });

/** `<start ISO>#<appointment id>`: an appointment the sweep may still act on (open-appointments.ts). */
const openAppointmentSchema = new Schema<{ _id: string }>({ _id: String }, { collection: "open_appointments", versionKey: false });

/** `<length>:<organization>:<start ISO>#<appointment id>`: an appointment of the organisation starts then (organization-appointments.ts). */
const organizationAppointmentSchema = new Schema<OrganizationAppointmentDoc>(
  { _id: String, service_id: { type: String, required: true }, user_id: { type: String, required: true } },
  { collection: "organization_appointments", versionKey: false },
);

export interface OrganizationAppointmentDoc {
  _id: string;
  service_id: string;
  user_id: string;
}

const checkInSchema = new Schema<CheckInDoc>({ _id: String, ticket_id: { type: String, required: true } }, { collection: "appointment_check_ins", versionKey: false });

export interface AppointmentsStore {
  slots: Model<SlotDoc>;
  appointments: Model<AppointmentDoc>;
  seats: Model<SeatDoc>;
  userSteps: Model<UserStepDoc>;
  checkIns: Model<CheckInDoc>;
  changes: Model<ClaimedChangeDoc>;
  citizenAppointments: Model<{ _id: string }>;
  openAppointments: Model<{ _id: string }>;
  organizationAppointments: Model<OrganizationAppointmentDoc>;
}

export interface ClaimedChangeDoc {
  _id: string;
  at: Date;
}

export function appointmentsStore(db: Connection): AppointmentsStore {
  return {
    slots: modelOf(db, "AppointmentSlot", slotSchema),
    appointments: modelOf(db, "Appointment", appointmentSchema),
    seats: modelOf(db, "SlotSeat", seatSchema),
    userSteps: modelOf(db, "UserSlot", userStepSchema),
    checkIns: modelOf(db, "AppointmentCheckIn", checkInSchema),
    changes: modelOf(db, "AppointmentChange", changeSchema),
    citizenAppointments: modelOf(db, "CitizenAppointment", citizenAppointmentSchema),
    openAppointments: modelOf(db, "OpenAppointment", openAppointmentSchema),
    organizationAppointments: modelOf(db, "OrganizationAppointment", organizationAppointmentSchema),
  };
}

/** Indexes a newer version no longer keeps: seats are read by ranges of _ids (bookedSeats), and every seat claimed also wrote this one. */
const RETIRED_SEAT_INDEXES = ["slot_id_1"];
/** Appointments are listed from rows under their citizen (citizen-appointments.ts) and their organisation (organization-appointments.ts). */
const RETIRED_APPOINTMENT_INDEXES = ["user_id_1", "organization_id_1"];

export async function ensureAppointmentsIndexes(store: AppointmentsStore): Promise<void> {
  await ensureIndexes({ ...store });
  await Promise.all([dropIndexes(store.seats, RETIRED_SEAT_INDEXES), dropIndexes(store.appointments, RETIRED_APPOINTMENT_INDEXES)]);
}

/**
 * Seats booked per slot, for the slots given: the seats of each service's slots read as
 * ranges of _ids (a seat is `<slot>#<n>`, slots/key.ts), from its first slot's start to
 * just after its last's, where a filter on slot_id scanned every seat ever booked.
 */
export async function bookedSeats(store: AppointmentsStore, slotIds: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const wanted = new Set(slotIds);
  const ranges = [...groupBy(slotIds, serviceOfSlotKey)].flatMap(([serviceId, keys]) => {
    const times = keys.map((key) => startOfSlotKey(key).getTime());
    return slotKeyRanges(serviceId, new Date(Math.min(...times)), new Date(Math.max(...times) + 1));
  });
  const seats = await Promise.all(ranges.map((range) => store.seats.find(range, { slot_id: 1 }).lean()));
  for (const seat of seats.flat()) if (wanted.has(seat.slot_id)) counts.set(seat.slot_id, (counts.get(seat.slot_id) ?? 0) + 1);
  return counts;
}

/** A service's slots that start in [from, until), in no particular order. */
export async function slotsBetween(store: AppointmentsStore, serviceId: string, from: Date, until: Date): Promise<SlotDoc[]> {
  const found = await Promise.all(slotKeyRanges(serviceId, from, until).map((range) => store.slots.find(range).lean<SlotDoc[]>()));
  return found.flat().filter((slot) => slot.service_id === serviceId);
}
