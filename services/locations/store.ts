// The locations collections. location_communes holds the operator's imported communes (a
// few hundred documents, read whole into memory; written by id only).
import { Schema, type Connection, type Model } from "mongoose";
import { modelOf } from "../../mixins/db/models.ts";
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
  };
}

export type LocationsStore = ReturnType<typeof locationsStore>;

/** The imported communes, as records. */
export async function importedCommunes(store: LocationsStore): Promise<CommuneRecord[]> {
  const docs = await store.communes.find({}).lean<CommuneDoc[]>();
  return docs.map(({ name, region, department, lat, lon, aliases }) => ({ name, region, department, lat, lon, aliases: aliases ?? [] }));
}
