// Stored documents go out with `id` as a string and no Mongo internals.
import type { Types } from "mongoose";

export type Stored<T> = T & { _id: Types.ObjectId; __v?: number };

export function withId<T extends object>(doc: Stored<T>): Omit<T, "_id" | "__v"> & { id: string } {
  const { _id, __v, ...rest } = doc as Stored<T> & Record<string, unknown>;
  return { id: String(_id), ...(rest as Omit<T, "_id" | "__v">) };
}

/** Ids arrive as strings from the wire; anything that is not an ObjectId finds nothing. */
export const isObjectId = (id: string) => /^[a-f\d]{24}$/i.test(id);
