// services/appointments: bookable slots, appointments and check-in. Places are claimed by
// unique-_id inserts (booking.ts); slots are kept by generateSlots, which the scheduler's
// recurring job calls; a check-in becomes a ticket through the queues service.
import type { Context, LoggerInstance, ServiceBroker, ServiceSchema } from "moleculer";
import { DateTime } from "luxon";
import { Types } from "mongoose";
import { currentUser, isStaffOf, listScope } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { AuthUser, CallMeta } from "../../mixins/api/meta.ts";
import type { NodeDeps } from "../node-deps.ts";
import { claimOnce } from "../../mixins/db/claim.ts";
import { definedOnly, paginate } from "../../mixins/api/pagination.ts";
import { created, noContent } from "../../mixins/api/responses.ts";
import { validated } from "../../mixins/api/validated.ts";
import { DEFAULT_TIME_ZONE } from "../business/opening-hours.ts";
import { claimChange, placeInSlot, releasePlace, userSteps } from "./booking.ts";
import { metersBetween, type Point } from "./distance.ts";
import { generateServiceSlots, storedSlots, type BranchForSlots, type ServiceForSlots } from "./generation.ts";
import { SerialRegenerations } from "./regeneration.ts";
import { appointmentHolder } from "./who-books.ts";
import { reminderData, reminderKey, scheduleReminders, type Remindable } from "./reminders.ts";
import * as S from "./schemas.ts";
import { appointmentsStore, bookedSeats, ensureAppointmentsIndexes, type AppointmentDoc, type SlotDoc } from "./store.ts";
import { listener } from "../events.ts";

const appointmentPath = (id: string) => `/api/appointments/appointments/${id}/`;
const DAY_MS = 86_400_000;
/** `search` matches a slot's key (service and start) or an appointment's status or holder. */
const SLOT_LIST = { searchFields: ["_id"], defaultOrdering: "starts_at" };
const APPOINTMENT_LIST = { searchFields: ["status", "user_id"], defaultOrdering: "starts_at" };

interface ServiceInfo extends ServiceForSlots {
  name_fr: string;
  appointments_enabled: boolean;
  is_active: boolean;
  booking_cutoff_minutes: number;
}

function appointmentToWire(doc: AppointmentDoc) {
  const { _id, seat_id: _seat, changes: _changes, ...rest } = doc;
  return { id: _id, ...rest };
}

function slotToWire(doc: SlotDoc, booked: number) {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest, booked, remaining: Math.max(0, doc.capacity - booked) };
}

/** date_from / date_to: a whole UTC day or an instant. */
function bound(value: string, end: boolean): Date {
  if (value.length > 10) return new Date(value);
  return new Date(Date.parse(`${value}T00:00:00Z`) + (end ? DAY_MS : 0));
}

export default function appointmentsService({ config, db }: NodeDeps): ServiceSchema {
  const store = appointmentsStore(db);
  const { remindersMinutes, noShowGraceMinutes, checkInRadiusMeters } = config.appointments;

  /** A citizen checks in themselves only at the branch (when its position is known). */
  async function mustBeAtBranch(ctx: Context, doc: AppointmentDoc, where: Partial<Point> | undefined) {
    const branch = doc.branch_id ? await ctx.call<Partial<Point> | null, { id: string }>("business.branches.byId", { id: doc.branch_id }) : null;
    if (typeof branch?.latitude !== "number" || typeof branch.longitude !== "number") return;
    if (typeof where?.latitude !== "number" || typeof where.longitude !== "number") {
      throw errors.validation([{ path: "body", message: "give your latitude and longitude to check in yourself, or ask an agent" }]);
    }
    const distance = metersBetween(where as Point, branch as Point);
    if (distance > checkInRadiusMeters) throw errors.notAtBranch(distance, checkInRadiusMeters);
  }

  /** Booking stands even if the scheduler is away: the sweep schedules what is missing. */
  async function remindLater(ctx: Context, logger: LoggerInstance, doc: Remindable) {
    try {
      await scheduleReminders(ctx, doc, remindersMinutes);
    } catch (err) {
      logger.warn(`reminders of appointment ${doc._id} not scheduled yet (the sweep will): ${(err as Error).message}`);
    }
  }

  async function findSlot(id: string): Promise<SlotDoc> {
    const slot = await store.slots.findById(id).lean<SlotDoc>();
    if (!slot) throw errors.notFound("Slot");
    return slot;
  }

  /** A slot that has not started: the only kind one may book or move to. */
  async function bookable(id: string): Promise<SlotDoc> {
    const slot = await findSlot(id);
    if (slot.starts_at.getTime() <= Date.now()) throw errors.slotStarted();
    return slot;
  }

  /** The citizen's own, or their organisation's for staff; anyone else's answers 404. */
  async function visibleAppointment(user: AuthUser, id: string): Promise<AppointmentDoc> {
    const doc = await store.appointments.findById(id).lean<AppointmentDoc>();
    if (!doc || !(doc.user_id === user.id || isStaffOf(user, doc.organization_id))) throw errors.notFound("Appointment");
    return doc;
  }

  const serviceById = (ctx: Context, id: string) => ctx.call<ServiceInfo | null, { id: string }>("business.services.byId", { id });

  /** A booked appointment far enough ahead to change: the service's cut-off. */
  async function changeable(ctx: Context<unknown, CallMeta>, id: string): Promise<AppointmentDoc> {
    const doc = await visibleAppointment(currentUser(ctx), id);
    if (doc.status !== "booked") throw errors.appointmentNotBooked(doc.status);
    const minutes = (await serviceById(ctx, doc.service_id))?.booking_cutoff_minutes ?? 0;
    if (Date.now() > doc.starts_at.getTime() - minutes * 60_000) throw errors.cutoffPassed(minutes);
    return doc;
  }

  async function withRemaining(slots: SlotDoc[]) {
    const booked = await bookedSeats(store, slots.map((s) => s._id));
    return slots.map((slot) => slotToWire(slot, booked.get(slot._id) ?? 0));
  }


  let broker: ServiceBroker | undefined;
  const regenerations = new SerialRegenerations(async (service_id) => void (await broker!.call("appointments.generateSlots", { service_id })));

  /** The default window, from now, for the appointment services of a branch. */
  async function regenerateBranch(ctx: Context, branchId: string) {
    const services = (await ctx.call<ServiceInfo[]>("business.services.forAppointments")).filter((service) => service.branch_id === branchId);
    for (const service of services) await regenerations.request(service.id);
  }

  return {
    name: "appointments",
    settings: { rest: "/appointments" },
    actions: {
      listSlots: {
        rest: "GET /appointment-slots",
        handler: validated(S.ListSlots, async function (ctx) {
          currentUser(ctx);
          const { service_id, branch_id, date_from, date_to, ...page } = ctx.params.query;
          const starts = definedOnly({ $gte: date_from && bound(date_from, false), $lt: date_to && bound(date_to, true) });
          const filter = { ...definedOnly({ service_id, branch_id }), ...(Object.keys(starts).length > 0 && { starts_at: starts }) };
          const found = await paginate(ctx, store.slots, filter, page, SLOT_LIST, (doc) => doc as unknown as SlotDoc);
          return { ...found, results: await withRemaining(found.results) };
        }),
      },
      getSlot: {
        rest: "GET /appointment-slots/:id",
        handler: validated(S.ById, async function (ctx) {
          currentUser(ctx);
          return (await withRemaining([await findSlot(ctx.params.params.id)]))[0];
        }),
      },
      availableSlots: {
        rest: "GET /available-slots",
        handler: validated(S.AvailableSlots, async function (ctx) {
          currentUser(ctx);
          const { service_id, date } = ctx.params.query;
          const service = await serviceById(ctx, service_id);
          if (!service) throw errors.notFound("Service");
          const branch = service.branch_id ? await ctx.call<BranchForSlots | null, { id: string }>("business.branches.byId", { id: service.branch_id }) : null;
          const day = DateTime.fromISO(date, { zone: branch?.time_zone ?? DEFAULT_TIME_ZONE });
          if (!day.isValid) throw errors.validation([{ path: "query.date", message: "is not a calendar date" }]);
          const from = new Date(Math.max(day.toMillis(), Date.now()));
          const until = day.plus({ days: 1 }).toJSDate();
          const slots = await store.slots.find({ service_id, starts_at: { $gte: from, $lt: until } }).sort({ starts_at: 1 }).lean<SlotDoc[]>();
          return (await withRemaining(slots)).filter((slot) => slot.remaining > 0);
        }),
      },

      listAppointments: {
        rest: "GET /appointments",
        handler: validated(S.ListAppointments, async function (ctx) {
          const user = currentUser(ctx);
          const { service_id, status, user_id, ...page } = ctx.params.query;
          const scope = listScope(user);
          const filter = { ...definedOnly({ service_id, status, user_id }), ...scope };
          return paginate(ctx, store.appointments, filter, page, APPOINTMENT_LIST, (doc) => appointmentToWire(doc as unknown as AppointmentDoc));
        }),
      },
      myAppointments: {
        rest: "GET /my-appointments",
        handler: validated(S.MyAppointments, async function (ctx) {
          const user = currentUser(ctx);
          const { status, ...page } = ctx.params.query;
          const filter = { ...definedOnly({ status }), user_id: user.id };
          return paginate(ctx, store.appointments, filter, page, APPOINTMENT_LIST, (doc) => appointmentToWire(doc as unknown as AppointmentDoc));
        }),
      },
      book: {
        rest: "POST /appointments",
        handler: validated(S.Book, async function (ctx) {
          const user = currentUser(ctx);
          const { slot_id, user_id } = ctx.params.body;
          const slot = await bookable(slot_id);
          const holder = appointmentHolder(user, slot, user_id);
          const id = new Types.ObjectId().toHexString();
          const seat_id = await placeInSlot(store, slot, holder, id);
          const { _id: _slot, capacity: _capacity, ...where } = slot;
          try {
            const doc = await store.appointments.create({ _id: id, slot_id, seat_id, ...where, user_id: holder, status: "booked", ticket_id: null, booked_by: user.id });
            await remindLater(ctx, this.logger, { _id: id, starts_at: slot.starts_at });
            return created(ctx, appointmentPath(id), appointmentToWire(doc.toObject() as AppointmentDoc));
          } catch (err) {
            await releasePlace(store, { seat_id, user_id: holder, starts_at: slot.starts_at, ends_at: slot.ends_at });
            throw err;
          }
        }),
      },
      getAppointment: {
        rest: "GET /appointments/:id",
        handler: validated(S.ById, async function (ctx) {
          return appointmentToWire(await visibleAppointment(currentUser(ctx), ctx.params.params.id));
        }),
      },
      reschedule: {
        rest: "PUT /appointments/:id",
        handler: validated(S.Reschedule, async function (ctx) {
          const doc = await changeable(ctx, ctx.params.params.id);
          const slot = await bookable(ctx.params.body.slot_id);
          if (slot.service_id !== doc.service_id) throw errors.validation([{ path: "body.slot_id", message: "must be a slot of the same service" }]);
          if (slot._id === doc.slot_id) return appointmentToWire(doc);
          const giveBack = await claimChange(store, doc);
          // The new place first, then the old one back: never neither.
          const seat_id = await placeInSlot(store, slot, doc.user_id, doc._id, userSteps(doc.user_id, doc.starts_at, doc.ends_at)).catch(async (err) => {
            await giveBack();
            throw err;
          });
          const moved = { slot_id: slot._id, seat_id, branch_id: slot.branch_id, starts_at: slot.starts_at, ends_at: slot.ends_at, changes: (doc.changes ?? 0) + 1, updated_at: new Date() };
          await store.appointments.updateOne({ _id: doc._id }, { $set: moved });
          await releasePlace(store, doc, userSteps(doc.user_id, slot.starts_at, slot.ends_at));
          await remindLater(ctx, this.logger, { _id: doc._id, starts_at: slot.starts_at });
          return appointmentToWire({ ...doc, ...moved });
        }),
      },
      cancel: {
        rest: "DELETE /appointments/:id",
        handler: validated(S.Cancel, async function (ctx) {
          const doc = await changeable(ctx, ctx.params.params.id);
          await claimChange(store, doc);
          await store.appointments.updateOne({ _id: doc._id }, { $set: { status: "cancelled", changes: (doc.changes ?? 0) + 1, updated_at: new Date() } });
          await releasePlace(store, doc);
          return noContent(ctx);
        }),
      },
      checkIn: {
        rest: "POST /appointments/:id/check-in",
        handler: validated(S.CheckIn, async function (ctx) {
          const user = currentUser(ctx);
          const doc = await visibleAppointment(user, ctx.params.params.id);
          if (doc.status !== "booked" && doc.status !== "checked_in") throw errors.appointmentNotBooked(doc.status);
          if (!isStaffOf(user, doc.organization_id)) await mustBeAtBranch(ctx, doc, ctx.params.body);
          // The ticket id is chosen once, so a repeated check-in finds the same ticket.
          const fresh = new Types.ObjectId().toHexString();
          const ticket_id = (await claimOnce(store.checkIns, doc._id, { ticket_id: fresh })) ? fresh : (await store.checkIns.findById(doc._id).lean())!.ticket_id;
          const ticket = await ctx.call<{ id: string }, object>("queues.issueForAppointment", {
            service_id: doc.service_id,
            organization_id: doc.organization_id,
            ticket_id,
            appointment_id: doc._id,
            appointment_at: doc.starts_at.getTime(),
            user_id: doc.user_id,
          });
          const changes = { status: "checked_in" as const, ticket_id: ticket.id, updated_at: new Date() };
          await store.appointments.updateOne({ _id: doc._id }, { $set: changes });
          return { ...appointmentToWire({ ...doc, ...changes }), ticket };
        }),
      },

      // Internal: a reminder's scheduled call. Nothing is sent for an appointment no
      // longer booked for that start; the notification is idempotent on the call's key.
      remind: {
        visibility: "public",
        handler: validated(S.Remind, async function (ctx) {
          const { appointment_id, starts_at, minutes_before } = ctx.params;
          const doc = await store.appointments.findById(appointment_id).lean<AppointmentDoc>();
          if (!doc || doc.status !== "booked" || doc.starts_at.getTime() !== Date.parse(starts_at)) return { sent: false };
          const service = await serviceById(ctx, doc.service_id);
          const branch = doc.branch_id ? await ctx.call<(BranchForSlots & { name: string }) | null, { id: string }>("business.branches.byId", { id: doc.branch_id }) : null;
          const names = { service: service?.name_fr ?? "", branch: branch?.name ?? "" };
          await ctx.call("notifications.notify", {
            user_id: doc.user_id,
            event: "appointment.reminder",
            data: reminderData(doc.starts_at, branch?.time_zone ?? DEFAULT_TIME_ZONE, names, minutes_before),
            idempotency_key: ctx.meta.idempotency_key ?? reminderKey(doc._id, doc.starts_at, minutes_before),
          });
          return { sent: true };
        }),
      },
      // Internal, every few minutes: appointments not checked in after the grace period
      // become no-shows, and reminders due before the next two sweeps are made sure of.
      sweep: {
        visibility: "public",
        handler: validated(S.Sweep, async function (ctx) {
          const now = ctx.params.now ? Date.parse(ctx.params.now) : Date.now();
          const late = await store.appointments.find({ status: "booked", starts_at: { $lt: new Date(now - noShowGraceMinutes * 60_000) } }).lean<AppointmentDoc[]>();
          for (const doc of late) await store.appointments.updateOne({ _id: doc._id }, { $set: { status: "no_show", updated_at: new Date(now) } });
          const horizon = now + 2 * config.scheduler.appointmentSweepEveryMinutes * 60_000;
          const longest = Math.max(0, ...remindersMinutes) * 60_000;
          const upcoming = await store.appointments.find({ status: "booked", starts_at: { $gt: new Date(now), $lte: new Date(horizon + longest) } }).lean<AppointmentDoc[]>();
          for (const doc of upcoming) await scheduleReminders(ctx, doc, remindersMinutes, now, horizon);
          return { no_shows: late.length, reminded: upcoming.length };
        }),
      },

      // Internal: the scheduler's recurring job keeps the rolling window with this.
      generateSlots: {
        visibility: "public",
        handler: validated(S.GenerateSlots, async function (ctx) {
          const from = ctx.params.from ? new Date(ctx.params.from) : new Date();
          const days = ctx.params.days ?? config.appointments.slotWindowDays;
          const services = ctx.params.service_id
            ? [await serviceById(ctx, ctx.params.service_id)].filter((s): s is ServiceInfo => s !== null && s.appointments_enabled && s.is_active)
            : await ctx.call<ServiceInfo[]>("business.services.forAppointments");
          const branches = new Map<string, BranchForSlots | null>();
          const totals = { services: services.length, created: 0, removed: 0, kept: 0 };
          if (services.length === 0) return totals; // reading the stored slots scans them all
          const stored = await storedSlots(store, from, days, ctx.params.service_id);
          for (const service of services) {
            let branch: BranchForSlots | null = null;
            if (service.branch_id) {
              if (!branches.has(service.branch_id)) branches.set(service.branch_id, await ctx.call<BranchForSlots | null, { id: string }>("business.branches.byId", { id: service.branch_id }));
              branch = branches.get(service.branch_id)!;
            }
            const counts = await generateServiceSlots(store, stored, service, branch, from, days);
            totals.created += counts.created;
            totals.removed += counts.removed;
            totals.kept += counts.kept;
          }
          return totals;
        }),
      },
    },
    events: {
      // A new service has its slots at once, and new hours or holidays apply at once, not
      // at the scheduler's next run.
      // (generateSlots passes over a service that takes no appointments.)
      "business.service.changed": listener("business.service.changed", async (changed) => {
        await regenerations.request(changed.id);
      }),
      "business.branch.changed": listener("business.branch.changed", async (changed, ctx) => {
        await regenerateBranch(ctx, changed.id);
      }),
    },
    created() {
      broker = this.broker;
    },
    async started() {
      await ensureAppointmentsIndexes(store);
    },
  };
}
