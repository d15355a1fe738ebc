// Field shapes that several services' request schemas share.
import { z } from "zod";

export const ObjectIdString = z.string().regex(/^[a-f\d]{24}$/i, "must be a 24-character hexadecimal id");

/** `:id` in a path. Any string up to 64 characters: an unknown id answers 404, not 400. */
export const IdParams = z.object({ id: z.string().max(64) });

export const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD");
export const Instant = z.iso.datetime({ offset: true });
/** A bound of a dated list's window (list-window.ts): a whole day ("YYYY-MM-DD", UTC; as date_to, up to its end) or an ISO instant. */
export const DateBound = z.union([LocalDate, Instant]);
