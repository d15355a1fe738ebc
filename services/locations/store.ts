// The locations collections. location_communes holds the operator's imported communes (a
// few hundred documents, read whole into memory; written by id only); location_traffic the
// traffic reports (inserted; read at start-up, when the expired ones are deleted);
// location_user_points each user's recent points and arrival shares (by the user's id;
// personal data); location_leave_now a claim per ticket whose "leave now" was sent.
import { Schema, type Connection, type Model } from "mongoose";
import { claimSchema } from "../../mixins/db/claim.ts";
import { modelOf } from "../../mixins/db/models.ts";
import type { ArrivalShare } from "./arrival-shares.ts";
import type { CommuneRecord } from "./gazetteer.ts";

export interface CommuneDoc extends CommuneRecord {
  _id: string;
  imported_at: Date;
}

const communeSchema = new Schema<CommuneDoc>(
  { _id: String, name: String, region: String, department: String, lat: Number, lon: Number, aliases: { type: [String], default: [] }, imported_at: Date },
  { collection: "location_communes", versionKey: false },
);

export type CommuneModel = Model<CommuneDoc>;

export function locationsStore(db: Connection) {
  return {
    communes: modelOf(db, "LocationCommune", communeSchema),
    traffic: trafficModel(db),
    userPoints: modelOf(db, "LocationUserPoints", userPointsSchema),
    leaveNowSent: modelOf(db, "LocationLeaveNowSent", claimSchema("location_leave_now")),
  };
}

export type LocationsStore = ReturnType<typeof locationsStore>;

/** The imported communes, as records. */
export async function importedCommunes(store: LocationsStore): Promise<CommuneRecord[]> {
  const docs = await store.communes.find({}).lean<CommuneDoc[]>();
  return docs.map(({ name, region, department, lat, lon, aliases }) => ({ name, region, department, lat, lon, aliases: aliases ?? [] }));
}

/** A traffic report as stored: written once, read whole at start-up (the recent ones only). */
export interface TrafficDoc {
  _id: string;
  lat: number;
  lon: number;
  radius_m: number;
  severity: number;
  reported_at: Date;
  organization_id: string | null;
  reported_by: string;
  note: string;
}

const trafficSchema = new Schema<TrafficDoc>(
  { _id: String, lat: Number, lon: Number, radius_m: Number, severity: Number, reported_at: Date, organization_id: { type: String, default: null }, reported_by: String, note: { type: String, default: "" } },
  { collection: "location_traffic", versionKey: false },
);

export const trafficModel = (db: Connection) => modelOf(db, "LocationTraffic", trafficSchema);

/** A user's recent points (user-locations.ts), under the user's id. */
export interface UserPointsDoc {
  _id: string;
  points: Array<{ id: string; lat: number; lon: number; accuracy_m: number | null; recorded_at: Date }>;
  /** One more per point recorded (absent: none since versions were kept). */
  version?: number;
  /** The open tickets whose branch the user shares their arrival with. */
  shares?: ArrivalShare[];
  /** When the newest point passes its retention: the sweep deletes the document then. */
  expires_at: Date;
}

const userPointsSchema = new Schema<UserPointsDoc>(
  { _id: String, points: { type: Schema.Types.Mixed, default: [] }, version: Number, shares: { type: Schema.Types.Mixed, default: [] }, expires_at: Date },
  { collection: "location_user_points", versionKey: false },
);
