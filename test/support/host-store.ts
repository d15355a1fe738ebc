// The actor host's store on the test database, as the projector's tests use it.
import type { Connection } from "mongoose";
import { writeRows, type RowChange } from "../../actors/host/read-model.ts";
import { ensureHostIndexes, hostStore, type HostStore } from "../../actors/host/store.ts";
import { writeViews } from "../../actors/host/ticket-views.ts";
import { connectMongo } from "../../mixins/db/connection.ts";
import { mongoUrl } from "./system.ts";

export async function openHostStore(): Promise<{ db: Connection; store: HostStore }> {
  const db = await connectMongo(mongoUrl());
  const store = hostStore(db);
  await ensureHostIndexes(store);
  return { db, store };
}

/** What the projector does with one batch: the read model first, then its views. */
export const projectorOf = (store: () => HostStore) => async (changes: RowChange[]) => writeViews(store(), await writeRows(store(), changes));
