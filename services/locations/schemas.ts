// Request shapes of the locations service: they validate, type the handlers and feed the
// OpenAPI document.
import { z } from "zod";
import { listQuery } from "../../mixins/api/pagination.ts";
import { restInput } from "../../mixins/api/validated.ts";
import { MODES } from "./speed-profile.ts";

const AreaName = z.string().trim().min(1).max(120);

export const ListCommunes = restInput({
  query: listQuery(["name", "region", "department"], { region: AreaName.optional(), department: AreaName.optional() }),
});
export const Reload = z.object({}).loose();

export const Latitude = z.number().min(-90).max(90);
export const Longitude = z.number().min(-180).max(180);

/** Forward ({ address }) or reverse ({ latitude, longitude }): one object, so a bad field is named. */
export const Geocode = restInput({
  body: z
    .object({ address: z.string().trim().min(2).max(300).optional(), latitude: Latitude.optional(), longitude: Longitude.optional(), limit: z.number().int().min(1).max(20).default(5) })
    .strict()
    .superRefine((body, ctx) => {
      const point = body.latitude !== undefined || body.longitude !== undefined;
      if (body.address !== undefined && point) ctx.addIssue({ code: "custom", path: ["address"], message: "give an address or coordinates, not both" });
      else if (body.address === undefined && !point) ctx.addIssue({ code: "custom", path: ["address"], message: "is required (or give latitude and longitude)" });
      else if (point && body.latitude === undefined) ctx.addIssue({ code: "custom", path: ["latitude"], message: "is required with longitude" });
      else if (point && body.longitude === undefined) ctx.addIssue({ code: "custom", path: ["longitude"], message: "is required with latitude" });
    }),
});

const Position = z.object({ latitude: Latitude, longitude: Longitude }).strict();
const Mode = z.enum(MODES);
const Departure = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time, e.g. 2026-12-02T08:00:00Z" });
/** A coordinate in a query string: a number, not text. */
const queryNumber = (schema: z.ZodNumber) => z.coerce.number().pipe(schema);

export const TravelEstimateQuery = restInput({
  query: z
    .object({
      origin_latitude: queryNumber(Latitude), origin_longitude: queryNumber(Longitude),
      destination_latitude: queryNumber(Latitude), destination_longitude: queryNumber(Longitude),
      mode: Mode.optional(), departure_time: Departure.optional(),
    })
    .strict(),
});
export const TravelEstimateBody = restInput({
  body: z.object({ origin: Position, destination: Position, modes: z.array(Mode).min(1).max(MODES.length).optional(), departure_time: Departure.optional() }).strict(),
});

/** The most cells one distance matrix call computes (50 × 50). */
export const MAX_MATRIX_CELLS = 2500;
export const DistanceMatrix = restInput({
  body: z
    .object({ origins: z.array(Position).min(1).max(100), destinations: z.array(Position).min(1).max(100), mode: Mode.default("car"), departure_time: Departure.optional() })
    .strict()
    .refine((b) => b.origins.length * b.destinations.length <= MAX_MATRIX_CELLS, {
      path: ["destinations"], message: `origins × destinations must be at most ${MAX_MATRIX_CELLS}`,
    }),
});

export const ListTraffic = restInput({ query: listQuery(["reported_at", "severity"], {}) });
export const ReportTraffic = restInput({
  body: z
    .object({ latitude: Latitude, longitude: Longitude, radius_m: z.number().int().min(50).max(20_000), severity: z.number().int().min(1).max(5), note: z.string().trim().max(200).optional() })
    .strict(),
});

export const NearbyServices = restInput({
  query: listQuery(["total_s", "distance_m"], {
    latitude: queryNumber(Latitude),
    longitude: queryNumber(Longitude),
    service_id: z.string().max(64).optional(),
    service: z.string().trim().min(2).max(100).optional(),
    radius_m: z.coerce.number().int().min(100).max(50_000).default(5_000),
    mode: Mode.default("car"),
  }).refine((q) => Boolean(q.service_id) !== Boolean(q.service), { path: ["service"], message: "give service (a name) or service_id, one of them" }),
});

export const ListUserLocations = restInput({ query: listQuery(["recorded_at"], {}) });
export const RecordUserLocation = restInput({
  body: z
    .object({
      latitude: Latitude, longitude: Longitude, accuracy_m: z.number().min(0).max(100_000).optional(),
      /** Share the arrival with this ticket's branch (arrival-shares.ts). */
      ticket_id: z.string().min(1).max(64).optional(),
      /** How the citizen travels there, for "leave now". */
      mode: Mode.optional(),
    })
    .strict()
    .refine((b) => b.mode === undefined || b.ticket_id !== undefined, { path: ["mode"], message: "is for a shared ticket: give ticket_id too" }),
});
export const StopSharing = restInput({ params: z.object({ ticket_id: z.string().min(1).max(64) }).strict() });
/** Internal, for the live channel: a user's points as they see them, or as an organisation's staff do. */
export const LocationFeed = z.object({ user_id: z.string().max(64), organization_id: z.string().max(64).optional() }).strict();
