// services/appointments: bookable slots, appointments and check-in. Places are claimed by
// unique-_id inserts (booking.ts); slots are kept by generateSlots, which the scheduler's
// recurring job calls; a check-in becomes a ticket through the queues service.
import type { Context, ServiceBroker, ServiceSchema } from "moleculer";
import { currentUser, isStaffOf, listedOrganization, listScope } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import type { AuthUser, CallMeta } from "../../mixins/api/meta.ts";
import type { NodeDeps } from "../node-deps.ts";
import { daysAhead, listWindow } from "../../mixins/api/list-window.ts";
import { ordersBy, paginateRows, paginateRowsRefreshed, type ListOptions } from "../../mixins/api/pagination.ts";
import { mapLimited } from "../../mixins/db/limited.ts";
import { created, noContent } from "../../mixins/api/responses.ts";
import { validated } from "../../mixins/api/validated.ts";
import { DEFAULT_TIME_ZONE } from "../business/opening-hours.ts";
import { bookAppointment } from "./booking.ts";
import { appointmentsOfRows, organizationRowsBetween } from "./organization-appointments.ts";
import { appointmentsOfCitizen } from "./citizen-appointments.ts";
import { bookingStatus, depositView, settleDeposit } from "./deposits.ts";
import { cancelAppointment, moveAppointment, mustBeBooked } from "./changes.ts";
import { checkInTicketId, markCheckedIn, mustBeAtBranch, mustBeCheckable, ticketRequest } from "./check-in.ts";
import { mustBeBeforeCutoff, notStarted } from "./deadlines.ts";
import type { Point } from "./distance.ts";
import { generateSlots, takesAppointments, type BranchForSlots, type ServiceForSlots } from "./generation.ts";
import { SerialRegenerations } from "./regeneration.ts";
import { appointmentHolder } from "./who-books.ts";
import { visibleTo } from "./who-sees.ts";
import { reminderData, reminderKey, remindLater, scheduleReminders, stillDue } from "./reminders.ts";
import * as S from "./schemas.ts";
import { availabilityWindow } from "./slot-queries.ts";
import { appointmentsStore, ensureAppointmentsIndexes, slotsBetween, type AppointmentDoc, type SlotDoc } from "./store.ts";
import { sweep, sweepWindow } from "./sweep.ts";
import { appointmentToWire, slotsToWire } from "./wire.ts";
import { listener, type Announced } from "../events.ts";
import { Announcer } from "./announcements.ts";

const appointmentPath = (id: string) => `/api/appointments/appointments/${id}/`;
/** `search` matches a slot's key (service and start) or an appointment's status or holder. */
const SLOT_LIST = { searchFields: ["_id"], defaultOrdering: "starts_at" };
/** Services whose slots one listing reads at once. */
const SERVICES_READ_AT_ONCE = 8;
const APPOINTMENT_LIST = { searchFields: ["status", "user_id"], defaultOrdering: "starts_at" };

interface ServiceInfo extends ServiceForSlots {
  name_fr: string;
  deposit_xof?: number;
  appointments_enabled: boolean;
  is_active: boolean;
  booking_cutoff_minutes: number;
}

type BranchInfo = BranchForSlots & Partial<Point> & { name: string };

export default function appointmentsService({ config, db }: NodeDeps): ServiceSchema {
  const store = appointmentsStore(db);
  const { remindersMinutes, noShowGraceMinutes, checkInRadiusMeters } = config.appointments;
  const sweepSettings = { noShowGraceMinutes, everyMinutes: config.scheduler.appointmentSweepEveryMinutes, remindersMinutes };

  /** The user's own appointments (citizen-appointments.ts), those `kept`, one page. */
  const ownAppointments = async (ctx: Context<unknown, CallMeta>, userId: string, page: ListOptions, kept: (doc: AppointmentDoc) => boolean) =>
    paginateRows(ctx, (await appointmentsOfCitizen(store, userId)).filter(kept), page, APPOINTMENT_LIST, appointmentToWire);
  /** The services whose slots a listing reads: the one named, else the bookable ones of the branch named. */
  async function listedServices(ctx: Context, serviceId: string | undefined, branchId: string | undefined): Promise<string[]> {
    if (serviceId !== undefined) return [serviceId];
    if (branchId === undefined) throw errors.validation([{ path: "query.service_id", message: "is required unless branch_id is given: slots are listed per service" }]);
    return (await ctx.call<ServiceInfo[]>("business.services.forAppointments")).filter((service) => service.branch_id === branchId).map((service) => service.id);
  }

  const serviceById = (ctx: Context, id: string) => ctx.call<ServiceInfo | null, { id: string }>("business.services.byId", { id });
  const branchById = (ctx: Context, id: string | null) => (id ? ctx.call<BranchInfo | null, { id: string }>("business.branches.byId", { id }) : Promise.resolve(null));

  async function findSlot(id: string): Promise<SlotDoc> {
    const slot = await store.slots.findById(id).lean<SlotDoc>();
    if (!slot) throw errors.notFound("Slot");
    return slot;
  }

  const appointmentFor = async (user: AuthUser, id: string) => visibleTo(user, await store.appointments.findById(id).lean<AppointmentDoc>());

  /** A booked appointment the caller sees, not yet past its service's cut-off. */
  async function changeable(ctx: Context<unknown, CallMeta>, id: string): Promise<AppointmentDoc> {
    const doc = await appointmentFor(currentUser(ctx), id);
    mustBeBooked(doc);
    mustBeBeforeCutoff(doc, (await serviceById(ctx, doc.service_id))?.booking_cutoff_minutes ?? 0, Date.now());
    return doc;
  }

  let broker: ServiceBroker | undefined;
  let announcer: Announcer | undefined;

  /** Tells analytics how an appointment ended; said once, where its status leaves `booked` or `awaiting_payment`. */
  const announceEnd = (doc: AppointmentDoc, outcome: Announced<"ended">["outcome"], at: Date) =>
    announcer!.announce("ended", { appointment_id: doc._id, organization_id: doc.organization_id, branch_id: doc.branch_id, service_id: doc.service_id, outcome, at: at.toISOString() });

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
          const { from, until } = listWindow({ date_from, date_to }, daysAhead(Date.now(), config.appointments.slotWindowDays));
          const services = await listedServices(ctx, service_id, branch_id);
          const slots = (await mapLimited(services, SERVICES_READ_AT_ONCE, (id) => slotsBetween(store, id, from, until))).flat();
          const found = paginateRows(ctx, slots.filter((slot) => branch_id === undefined || slot.branch_id === branch_id), page, SLOT_LIST, (slot) => slot);
          return { ...found, results: await slotsToWire(store, found.results) };
        }),
      },
      getSlot: {
        rest: "GET /appointment-slots/:id",
        handler: validated(S.ById, async function (ctx) {
          currentUser(ctx);
          return (await slotsToWire(store, [await findSlot(ctx.params.params.id)]))[0];
        }),
      },
      availableSlots: {
        rest: "GET /available-slots",
        handler: validated(S.AvailableSlots, async function (ctx) {
          currentUser(ctx);
          const { service_id, date } = ctx.params.query;
          const service = await serviceById(ctx, service_id);
          if (!service) throw errors.notFound("Service");
          const branch = await branchById(ctx, service.branch_id);
          const { from, until } = availabilityWindow(date, branch?.time_zone ?? DEFAULT_TIME_ZONE, Date.now());
          const slots = (await slotsBetween(store, service_id, from, until)).sort((a, b) => a.starts_at.getTime() - b.starts_at.getTime());
          return (await slotsToWire(store, slots)).filter((slot) => slot.remaining > 0);
        }),
      },

      listAppointments: {
        rest: "GET /appointments",
        handler: validated(S.ListAppointments, async function (ctx) {
          const user = currentUser(ctx);
          const { service_id, status, user_id, organization_id, date_from, date_to, ...page } = ctx.params.query;
          const scope = listScope(user);
          const { from, until } = listWindow({ date_from, date_to }, daysAhead(Date.now(), config.appointments.slotWindowDays));
          const kept = (doc: { service_id: string; user_id: string }) => (service_id === undefined || doc.service_id === service_id) && (user_id === undefined || doc.user_id === user_id);
          // A citizen's are their own, whatever user_id says: read as "my appointments" are.
          if ("user_id" in scope) {
            const dated = date_from !== undefined || date_to !== undefined;
            return ownAppointments(ctx, user.id, page, (doc) => kept({ ...doc, user_id: user.id }) && (status === undefined || doc.status === status) && (!dated || (doc.starts_at >= from && doc.starts_at < until)));
          }
          const organizationId = listedOrganization(scope, organization_id, "appointments");
          if (organizationId === null) return paginateRows(ctx, [], page, APPOINTMENT_LIST, appointmentToWire);
          const rows = (await organizationRowsBetween(store, organizationId, from, until)).filter(kept);
          // Only the page's appointments are read unless what picks or orders them is not in the rows.
          if (status === undefined && !page.search && !ordersBy(page, APPOINTMENT_LIST, "created_at")) {
            return paginateRowsRefreshed(ctx, rows, page, APPOINTMENT_LIST, (shown) => appointmentsOfRows(store, organizationId, shown), (doc) => appointmentToWire(doc as AppointmentDoc));
          }
          const docs = (await appointmentsOfRows(store, organizationId, rows)).filter((doc) => status === undefined || doc.status === status);
          return paginateRows(ctx, docs, page, APPOINTMENT_LIST, appointmentToWire);
        }),
      },
      myAppointments: {
        rest: "GET /my-appointments",
        handler: validated(S.MyAppointments, async function (ctx) {
          const user = currentUser(ctx);
          const { status, ...page } = ctx.params.query;
          return ownAppointments(ctx, user.id, page, (doc) => status === undefined || doc.status === status);
        }),
      },
      book: {
        rest: "POST /appointments",
        handler: validated(S.Book, async function (ctx) {
          const user = currentUser(ctx);
          const slot = notStarted(await findSlot(ctx.params.body.slot_id), Date.now());
          const holder = appointmentHolder(user, slot, ctx.params.body.user_id);
          const doc = await bookAppointment(store, slot, holder, user.id, undefined, bookingStatus(await serviceById(ctx, slot.service_id)));
          await remindLater(ctx, this.logger, doc, remindersMinutes);
          await announcer!.announce("booked", {
            appointment_id: doc._id, organization_id: doc.organization_id, branch_id: doc.branch_id, service_id: doc.service_id,
            booked_at: doc.created_at.toISOString(), starts_at: doc.starts_at.toISOString(),
          });
          return created(ctx, appointmentPath(doc._id), appointmentToWire(doc));
        }),
      },
      getAppointment: {
        rest: "GET /appointments/:id",
        handler: validated(S.ById, async function (ctx) {
          return appointmentToWire(await appointmentFor(currentUser(ctx), ctx.params.params.id));
        }),
      },
      reschedule: {
        rest: "PUT /appointments/:id",
        handler: validated(S.Reschedule, async function (ctx) {
          const doc = await changeable(ctx, ctx.params.params.id);
          const slot = notStarted(await findSlot(ctx.params.body.slot_id), Date.now());
          const { appointment, moved } = await moveAppointment(store, doc, slot, new Date());
          if (moved) await remindLater(ctx, this.logger, appointment, remindersMinutes);
          return appointmentToWire(appointment);
        }),
      },
      cancel: {
        rest: "DELETE /appointments/:id",
        handler: validated(S.Cancel, async function (ctx) {
          const doc = await changeable(ctx, ctx.params.params.id);
          const now = new Date();
          await cancelAppointment(store, doc, now);
          await announceEnd(doc, "cancelled", now);
          return noContent(ctx);
        }),
      },
      checkIn: {
        rest: "POST /appointments/:id/check-in",
        handler: validated(S.CheckIn, async function (ctx) {
          const user = currentUser(ctx);
          const doc = await appointmentFor(user, ctx.params.params.id);
          mustBeCheckable(doc);
          if (!isStaffOf(user, doc.organization_id)) mustBeAtBranch(await branchById(ctx, doc.branch_id), ctx.params.body, checkInRadiusMeters);
          const ticket = await ctx.call<{ id: string }, object>("queues.issueForAppointment", ticketRequest(doc, await checkInTicketId(store, doc._id)));
          const now = new Date();
          const checkedIn = await markCheckedIn(store, doc, ticket.id, now);
          // Checking in again answers the same ticket: only the first check-in ends the appointment.
          if (doc.status === "booked") await announceEnd(doc, "checked_in", now);
          return { ...appointmentToWire(checkedIn), ticket };
        }),
      },

      // Internal, for payments: an appointment whose deposit is being paid.
      forDeposit: {
        visibility: "public",
        handler: validated(S.ForDeposit, async function (ctx) {
          const doc = await store.appointments.findById(ctx.params.id).lean<AppointmentDoc>();
          return doc && depositView(doc);
        }),
      },

      // Internal: a reminder's scheduled call. Nothing is sent for an appointment no
      // longer booked for that start; the notification is idempotent on the call's key.
      remind: {
        visibility: "public",
        handler: validated(S.Remind, async function (ctx) {
          const { appointment_id, starts_at, minutes_before } = ctx.params;
          const doc = await store.appointments.findById(appointment_id).lean<AppointmentDoc>();
          if (!stillDue(doc, starts_at)) return { sent: false };
          const service = await serviceById(ctx, doc.service_id);
          const branch = await branchById(ctx, doc.branch_id);
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
      // Internal, every few minutes: no-shows, reminders due soon (sweep.ts), and
      // announcements analytics has not filed yet.
      sweep: {
        visibility: "public",
        handler: validated(S.Sweep, async function (ctx) {
          const window = sweepWindow(ctx.params.now ? Date.parse(ctx.params.now) : Date.now(), sweepSettings);
          const swept = await sweep(store, window, {
            remind: (doc) => scheduleReminders(ctx, doc, remindersMinutes, window.now, window.remindUntil),
            ended: (doc, outcome) => announceEnd(doc, outcome, new Date(window.now)),
          });
          // What analytics did not take when it happened (announcements.ts).
          return { ...swept, announcements_handed_again: await announcer!.redeliver() };
        }),
      },

      // Internal: the scheduler's recurring job keeps the rolling window with this.
      generateSlots: {
        visibility: "public",
        handler: validated(S.GenerateSlots, async function (ctx) {
          const { service_id: serviceId, from, days } = ctx.params;
          const services = serviceId
            ? [await serviceById(ctx, serviceId)].filter((s): s is ServiceInfo => s !== null && takesAppointments(s))
            : await ctx.call<ServiceInfo[]>("business.services.forAppointments");
          const window = { from: from ? new Date(from) : new Date(), days: days ?? config.appointments.slotWindowDays, serviceId };
          return generateSlots(store, services, (id) => branchById(ctx, id), window);
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
      // An appointment's deposit paid confirms it; failed or expired, its place goes back.
      "payments.succeeded": listener("payments.succeeded", async (payment) => {
        if (payment.appointment_id) await settleDeposit(store, await store.appointments.findById(payment.appointment_id).lean<AppointmentDoc>(), true, new Date());
      }),
      "payments.failed": listener("payments.failed", async (payment, ctx) => {
        if (!payment.appointment_id) return;
        const doc = await store.appointments.findById(payment.appointment_id).lean<AppointmentDoc>();
        const now = new Date();
        if (await settleDeposit(store, doc, false, now)) await announceEnd(doc!, "cancelled", now);
      }),
    },
    created() {
      broker = this.broker;
      announcer = new Announcer(db, (action, params) => this.broker.call(action, params), this.logger);
    },
    async started() {
      await ensureAppointmentsIndexes(store);
    },
  };
}
