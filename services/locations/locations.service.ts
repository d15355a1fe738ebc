// locations: Senegal's gazetteer (gazetteer.ts, bundled data plus the operator's import),
// searched accent-insensitively (text.ts), and geocoding over it and the branches
// (geocoding.ts; Nominatim when configured, nominatim.ts); travel estimates by mode and
// hour (travel.ts, speed-profile.ts; roads from OSRM when configured, osrm.ts) slowed by
// staff's fading traffic reports (traffic.ts); nearby services ranked by travel plus the
// queue engine's wait (nearby.ts, geo-index.ts); the caller's own locations, kept for the
// retention only (user-locations.ts), shared with a ticket's office when they choose
// (arrival-shares.ts) and followed live through locationFeed; "leave now" for the shared
// remote tickets (leave-now-watch.ts). Handlers validate, authorise and delegate.
import type { LoggerInstance, ServiceSchema } from "moleculer";
import { currentUser, requireRole, STAFF_ROLES } from "../../mixins/api/authorize.ts";
import { errors } from "../../mixins/api/errors.ts";
import { paginateRows } from "../../mixins/api/pagination.ts";
import { created, noContent } from "../../mixins/api/responses.ts";
import { validated } from "../../mixins/api/validated.ts";
import { broadcast, listener } from "../events.ts";
import type { NodeDeps } from "../node-deps.ts";
import { branchGeoIndex, locatedBranches, placed } from "./branches.ts";
import { candidates, ranked, wantedServices, type OfferedService } from "./nearby.ts";
import { queueWaits } from "./queue-waits.ts";
import { sharedWith, visibleTo, type ArrivalShare } from "./arrival-shares.ts";
import { LeaveNowWatch, type LeaveNotice } from "./leave-now-watch.ts";
import { newShare, openShares, ticketNow } from "./ticket-status.ts";
import { userLocations, userPointToWire } from "./user-locations.ts";
import { forwardGeocode, reverseGeocode } from "./geocoding.ts";
import type { Point } from "./geo.ts";
import { nominatimSearch } from "./nominatim.ts";
import { osrmRoadTable, profileOf, roadMetersByProfile } from "./osrm.ts";
import { MODES, type Mode } from "./speed-profile.ts";
import { trafficBoard } from "./traffic-board.ts";
import { trafficToWire } from "./traffic-wire.ts";
import { estimate, matrix, type TravelContext } from "./travel.ts";
import { findCommunes, placeToWire, type Place } from "./gazetteer.ts";
import { gazetteerSource } from "./gazetteer-source.ts";
import * as S from "./schemas.ts";
import { locationsStore } from "./store.ts";
import { normalise } from "./text.ts";

/** Communes order by their names without accents ("Médina" between "Mbao" and "Mermoz"). */
const COMMUNE_ORDER = { searchFields: [], defaultOrdering: "name" };
const TRAFFIC_ORDER = { searchFields: ["note"], defaultOrdering: "-reported_at" };
/** The nearest (branch, service) pairs a search weighs: each costs a call to the queue engine. */
const MAX_NEARBY = 30;
const NEARBY_ORDER = { searchFields: [], defaultOrdering: "total_s" };
const USER_POINT_ORDER = { searchFields: [], defaultOrdering: "-recorded_at" };
const pointOf = (p: { latitude: number; longitude: number }): Point => ({ lat: p.latitude, lon: p.longitude });
const pointToWire = (p: Point) => ({ latitude: p.lat, longitude: p.lon });
const shareToWire = (s: ArrivalShare) => ({ ticket_id: s.ticket_id, branch_id: s.branch_id, mode: s.mode, since: new Date(s.since).toISOString() });
/** A leave-now check that failed is made again by the next one; its error is logged, never a position. */
const inBackground = (logger: LoggerInstance, check: Promise<unknown>) =>
  void check.catch((err) => logger.warn({ err: (err as Error).message }, "locations: a leave-now check failed; the next one retries"));
const sortable = (p: Place) => ({ place: p, name: normalise(p.name), region: normalise(p.region), department: normalise(p.department ?? "") });

export default function locationsService({ config, db }: NodeDeps): ServiceSchema {
  const settings = config.locations;
  const store = locationsStore(db);
  const gazetteer = gazetteerSource(store, settings.gazetteerRefreshMs);
  const now = () => new Date();
  const traffic = trafficBoard(store, settings.trafficHalfLifeMs, now);
  const branchIndex = branchGeoIndex();
  const retentionMs = settings.userLocationRetentionMs;
  const mine = userLocations(store, retentionMs, now);
  let sweeper: NodeJS.Timeout | undefined;
  let leaveNowTimer: NodeJS.Timeout | undefined;
  let leaveNow: LeaveNowWatch | undefined;
  const travelContext = (departure?: string): TravelContext => ({ at: departure ? new Date(departure) : now(), reports: traffic.current(), halfLifeMs: settings.trafficHalfLifeMs });
  const travelAnswer = async (from: Point, to: Point, modes: readonly Mode[], departure?: string) => {
    const context = travelContext(departure);
    const roads = settings.osrm ? await roadMetersByProfile(settings.osrm, from, to, modes) : null;
    return {
      origin: pointToWire(from), destination: pointToWire(to), departure_time: context.at.toISOString(),
      estimates: modes.map((mode) => estimate(from, to, mode, context, roads?.get(profileOf(mode)) ?? null)),
    };
  };

  return {
    name: "locations",
    settings: { rest: "/locations" },
    actions: {
      listCommunes: {
        rest: "GET /communes",
        handler: validated(S.ListCommunes, async function (ctx) {
          currentUser(ctx);
          const { search, region, department, ...page } = ctx.params.query;
          const found = findCommunes(await gazetteer.get(), { search, region, department });
          return paginateRows(ctx, found.map(sortable), page, COMMUNE_ORDER, (row) => placeToWire(row.place));
        }),
      },

      geocode: {
        rest: "POST /geocoding",
        handler: validated(S.Geocode, async function (ctx) {
          currentUser(ctx);
          const { address, latitude, longitude, limit } = ctx.params.body;
          const places = await gazetteer.get();
          if (address === undefined) {
            return { type: "reverse", latitude, longitude, commune: reverseGeocode(places, { lat: latitude!, lon: longitude! }) };
          }
          const found = forwardGeocode(places, placed(await locatedBranches(ctx)), address, limit);
          const outside = !found.length && settings.nominatim;
          const results = outside ? await nominatimSearch(settings.nominatim, address, limit) : found;
          return { type: "forward", address, source: outside ? "nominatim" : "smartqueue", results };
        }),
      },

      travelEstimate: {
        rest: "GET /travel-estimates",
        handler: validated(S.TravelEstimateQuery, function (ctx) {
          currentUser(ctx);
          const q = ctx.params.query;
          const from = { lat: q.origin_latitude, lon: q.origin_longitude };
          const to = { lat: q.destination_latitude, lon: q.destination_longitude };
          return travelAnswer(from, to, q.mode ? [q.mode] : MODES, q.departure_time);
        }),
      },
      travelEstimateFor: {
        rest: "POST /travel-estimates",
        handler: validated(S.TravelEstimateBody, function (ctx) {
          currentUser(ctx);
          const { origin, destination, modes, departure_time } = ctx.params.body;
          return travelAnswer(pointOf(origin), pointOf(destination), modes ?? MODES, departure_time);
        }),
      },
      distanceMatrix: {
        rest: "POST /distance-matrix",
        handler: validated(S.DistanceMatrix, async function (ctx) {
          currentUser(ctx);
          const { mode, departure_time } = ctx.params.body;
          const [origins, destinations] = [ctx.params.body.origins.map(pointOf), ctx.params.body.destinations.map(pointOf)];
          const context = travelContext(departure_time);
          const roads = settings.osrm ? await osrmRoadTable(settings.osrm, origins, destinations, profileOf(mode)) : undefined;
          return { mode, departure_time: context.at.toISOString(), rows: matrix(origins, destinations, mode, context, roads) };
        }),
      },
      listTraffic: {
        rest: "GET /traffic-updates",
        handler: validated(S.ListTraffic, function (ctx) {
          currentUser(ctx);
          const at = now();
          return paginateRows(ctx, traffic.current(), ctx.params.query, TRAFFIC_ORDER, (r) => trafficToWire(r, at, settings.trafficHalfLifeMs));
        }),
      },
      reportTraffic: {
        rest: "POST /traffic-updates",
        handler: validated(S.ReportTraffic, async function (ctx) {
          const user = requireRole(ctx, STAFF_ROLES, "report traffic (an organisation's staff do)");
          const report = await traffic.report(user, ctx.params.body);
          broadcast(ctx, "locations.traffic.reported", { ...report, reported_at: report.reported_at.toISOString() });
          return created(ctx, "/api/locations/traffic-updates/", trafficToWire(report, now(), settings.trafficHalfLifeMs));
        }),
      },

      nearbyServices: {
        rest: "GET /nearby-services",
        handler: validated(S.NearbyServices, async function (ctx) {
          currentUser(ctx);
          const { latitude, longitude, service_id, service, radius_m, mode, ...page } = ctx.params.query;
          const point = { lat: latitude, lon: longitude };
          const [index, offered] = await Promise.all([branchIndex.get(ctx), ctx.call<OfferedService[], object>("business.services.offered", {})]);
          const found = candidates(index, wantedServices(offered, { service_id, service }), point, radius_m).slice(0, MAX_NEARBY);
          const rows = ranked(found, await queueWaits(ctx, found), point, mode, travelContext());
          // Whatever the ordering, where one would not be served now comes last.
          return paginateRows(ctx, rows, { ...page, search: undefined, ordering: `-available,${page.ordering ?? "total_s"}` }, NEARBY_ORDER, (row) => row);
        }),
      },

      listUserLocations: {
        rest: "GET /user-locations",
        handler: validated(S.ListUserLocations, async function (ctx) {
          const user = currentUser(ctx);
          const points = await mine.list(user.id);
          return paginateRows(ctx, points, { ...ctx.params.query, search: undefined, ordering: ctx.params.query.ordering ?? "-recorded_at" }, USER_POINT_ORDER, (p) => userPointToWire(p, retentionMs));
        }),
      },
      recordUserLocation: {
        rest: "POST /user-locations",
        handler: validated(S.RecordUserLocation, async function (ctx) {
          const user = currentUser(ctx);
          const { ticket_id, mode, ...point } = ctx.params.body;
          const share = ticket_id ? await newShare(ctx, user.id, ticket_id, mode ?? "car", now()) : null;
          const recorded = await mine.record(user.id, point, share, (shares) => openShares(ctx, shares));
          const wire = userPointToWire(recorded.point, retentionMs);
          broadcast(ctx, "locations.user.located", { user_id: user.id, version: recorded.version, point: wire, shared_with: sharedWith(recorded.shares) });
          if (recorded.shares.length && leaveNow) inBackground(this.logger, leaveNow.check(user.id));
          return created(ctx, "/api/locations/user-locations/", { ...wire, shares: recorded.shares.map(shareToWire) });
        }),
      },
      stopSharing: {
        rest: "DELETE /user-locations/shares/:ticket_id",
        handler: validated(S.StopSharing, async function (ctx) {
          const user = currentUser(ctx);
          // Only the caller's own shares are looked at: anyone else's ticket is simply not among them.
          if (!(await mine.unshare(user.id, ctx.params.params.ticket_id))) throw errors.notFound("A share of your arrival for this ticket");
          return noContent(ctx);
        }),
      },
      /** Internal, for /ws/location/updates/{id}: the user's points and version as they see them, or as an organisation's staff do while shared with. */
      locationFeed: {
        visibility: "public",
        handler: validated(S.LocationFeed, async function (ctx) {
          const { user_id, organization_id } = ctx.params;
          const track = await mine.track(user_id);
          const points = organization_id === undefined ? track.points : visibleTo(track.points, await openShares(ctx, track.shares), organization_id);
          if (!points) throw errors.forbidden("follow this user's locations: they do not share their arrival with your organisation");
          return { version: track.version, points: points.map((p) => userPointToWire(p, retentionMs)) };
        }),
      },

      /** Internal: read the imported communes now (after an import, instead of waiting for the refresh). */
      reloadGazetteer: {
        visibility: "public",
        handler: validated(S.Reload, async () => ({ communes: (await gazetteer.reload()).communes.length })),
      },
    },
    events: {
      "locations.traffic.reported": listener("locations.traffic.reported", (payload) => traffic.heard(payload)),
      "queue.changed": listener("queue.changed", function (change) {
        if (leaveNow) inBackground(this.logger, leaveNow.queueChanged(change.queue_id));
      }),
    },
    async started() {
      await Promise.all(Object.values(store).map((model) => model.createIndexes()));
      await Promise.all([gazetteer.reload(), traffic.load(), mine.sweep()]);
      // Expired locations are deleted within a minute (sooner when the retention is shorter).
      sweeper = setInterval(() => void mine.sweep().catch((err) => this.logger.warn({ err: (err as Error).message }, "locations: the sweep of expired user locations failed; the next one retries")), Math.min(60_000, retentionMs));
      sweeper.unref();
      const broker = this.broker;
      leaveNow = new LeaveNowWatch({
        store, now, marginMs: settings.leaveNowMarginMs, retentionMs,
        ticketNow: (share) => ticketNow(broker, share),
        branchAt: async (branchId) => placed(await locatedBranches(broker)).find((b) => b.id === branchId) ?? null,
        travelS: (from, to, mode, at) => estimate(from, to, mode, { at, reports: traffic.current(), halfLifeMs: settings.trafficHalfLifeMs }).duration_s,
        notify: (notice: LeaveNotice) => broker.call("notifications.notify", notice),
      });
      const watch = leaveNow;
      leaveNowTimer = setInterval(() => void watch.sweep().then(
        ({ failed }) => failed && this.logger.warn({ failed }, "locations: some leave-now checks failed; the next sweep retries"),
        (err) => this.logger.warn({ err: (err as Error).message }, "locations: the leave-now sweep failed; the next one retries"),
      ), settings.leaveNowCheckMs);
      leaveNowTimer.unref();
    },
    stopped() {
      clearInterval(sweeper);
      clearInterval(leaveNowTimer);
    },
  };
}
