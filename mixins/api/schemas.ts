// Field shapes that several services' request schemas share.
import { z } from "zod";

export const ObjectIdString = z.string().regex(/^[a-f\d]{24}$/i, "must be a 24-character hexadecimal id");

/** `:id` in a path. Any string up to 64 characters: an unknown id answers 404, not 400. */
export const IdParams = z.object({ id: z.string().max(64) });
