// Request shapes of the appointments service: they validate, type the handlers and feed OpenAPI.
import { z } from "zod";
import { listQuery } from "../../mixins/api/pagination.ts";
import { DateBound, IdParams, Instant, LocalDate, ObjectIdString } from "../../mixins/api/schemas.ts";
import { restInput } from "../../mixins/api/validated.ts";
import { APPOINTMENT_STATUSES } from "./store.ts";

const SlotId = z.string().min(1).max(64);

export const ListSlots = restInput({
  query: listQuery(["starts_at"], {
    service_id: ObjectIdString.optional(),
    branch_id: ObjectIdString.optional(),
    date_from: DateBound.optional(),
    date_to: DateBound.optional(),
  }),
});

export const AvailableSlots = restInput({ query: z.object({ service_id: ObjectIdString, date: LocalDate }).strict() });

export const ById = restInput({ params: IdParams });

/** Staff list their organisation's appointments that start in a window (list-window.ts); the platform admin names the organisation. */
export const ListAppointments = restInput({
  query: listQuery(["starts_at", "created_at"], {
    service_id: ObjectIdString.optional(),
    status: z.enum(APPOINTMENT_STATUSES).optional(),
    user_id: ObjectIdString.optional(),
    organization_id: ObjectIdString.optional(),
    date_from: DateBound.optional(),
    date_to: DateBound.optional(),
  }),
});

export const MyAppointments = restInput({ query: listQuery(["starts_at", "created_at"], { status: z.enum(APPOINTMENT_STATUSES).optional() }) });

export const Book = restInput({ body: z.object({ slot_id: SlotId, user_id: ObjectIdString.optional() }).strict() });
export const Reschedule = restInput({ params: IdParams, body: z.object({ slot_id: SlotId }).strict() });
export const Cancel = restInput({ params: IdParams, body: z.object({}).strict().optional() });
/** A citizen checking in themselves says where they are; an agent at the desk need not. */
const Position = z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).strict();
export const CheckIn = restInput({ params: IdParams, body: z.union([Position, z.object({}).strict()]).optional() });

/** Internal: what the scheduler's recurring job calls. */
export const GenerateSlots = z
  .object({
    from: Instant.optional(),
    /** The days ahead (SLOT_WINDOW_DAYS unless given). */
    days: z.number().int().min(0).max(366).optional(),
    /** Only this service (after a change to its hours); all appointment services otherwise. */
    service_id: ObjectIdString.optional(),
  })
  .strict();

/** Internal: one reminder, as the scheduler's call makes it. */
export const Remind = z
  .object({
    appointment_id: ObjectIdString,
    /** The start the reminder was planned for: a moved appointment is reminded of its new one. */
    starts_at: Instant,
    minutes_before: z.number().int().positive(),
  })
  .strict();

/** Internal: the recurring sweep (no-shows, reminders due soon). */
export const Sweep = z.object({ now: Instant.optional() }).strict();
export const ForDeposit = z.object({ id: z.string().max(64) }).strict();
