// Satisfaction: a citizen rates a ticket of theirs that was served, once (1–5 and an
// optional comment). A rating is filed in the collection of its ticket's day
// (`ratings_day_YYYY_MM_DD`, _id = the ticket id): the insert under that unique _id is
// what makes it once, on MongoDB and FerretDB alike, and the figures of a day are read
// from that day's ratings alone (a scan bounded by a day, like the ticket views), so
// nothing can count a rating twice and no writer competes with the rollups' writer.
import { Schema, type Connection } from "mongoose";
import { claimOnce } from "../../mixins/db/claim.ts";
import { errors } from "../../mixins/api/errors.ts";
import { dayModel } from "./day-collections.ts";
import { servedBy, servedByWhenWritten } from "./served.ts";

export interface RatingDoc {
  _id: string; // the ticket id
  queue_id: string;
  organization_id: string;
  branch_id: string | null;
  /** The counter that served the ticket, and the agent who completed it, when known. */
  counter_id: string | null;
  agent_id: string | null;
  /** Null for a kiosk ticket, rated through the link texted to its number. */
  user_id: string | null;
  rating: number;
  comment: string | null;
  /** The ticket's day, whose collection holds the rating. */
  day: string;
  rated_at: Date;
}

/** A ticket as the queues service shows it to its citizen (the fields rating reads). */
export interface RatedTicket {
  id: string;
  queue_id: string;
  organization_id: string;
  branch_id: string | null;
  counter_id: string | null;
  user_id: string | null;
  status: string;
  day: string;
  /** When it was completed (ISO). */
  finished_at: string | null;
}

export interface RatingFigures {
  count: number;
  sum: number;
  /** Ratings by score, "1"–"5". */
  by_score: Record<string, number>;
}

const ratingSchema = new Schema<RatingDoc>(
  {
    _id: String,
    queue_id: { type: String, required: true },
    organization_id: { type: String, required: true },
    branch_id: { type: String, default: null },
    counter_id: { type: String, default: null },
    agent_id: { type: String, default: null },
    user_id: { type: String, default: null },
    rating: { type: Number, required: true, min: 1, max: 5 },
    comment: { type: String, default: null },
    day: { type: String, required: true },
    rated_at: { type: Date, required: true },
  },
  { versionKey: false },
);

export const ratingsOfDay = (db: Connection, day: string) => dayModel(db, "ratings_day", ratingSchema, day);

/** Records the rating of a served ticket by its citizen (`citizenId`), once, with the counter and the agent who served it. */
export async function rate(db: Connection, citizenId: string | null, ticket: RatedTicket, body: { rating: number; comment?: string | undefined }, now: Date, flushMs: number): Promise<RatingDoc> {
  if (ticket.user_id !== citizenId) throw errors.notFound("Ticket");
  if (ticket.status !== "completed") throw errors.conflict("Only a served ticket can be rated.", { status: ticket.status });
  const finishedAt = ticket.finished_at ? Date.parse(ticket.finished_at) : now.getTime();
  const doc: RatingDoc = {
    _id: ticket.id, queue_id: ticket.queue_id, organization_id: ticket.organization_id, branch_id: ticket.branch_id,
    counter_id: ticket.counter_id ?? null, agent_id: await servedByWhenWritten(() => servedBy(db, ticket.id, ticket.day), finishedAt, flushMs),
    user_id: citizenId, rating: body.rating, comment: body.comment ?? null, day: ticket.day, rated_at: now,
  };
  const { _id, ...fields } = doc;
  if (!(await claimOnce(ratingsOfDay(db, ticket.day), _id, fields))) throw errors.conflict("This ticket has been rated already.", { ticket_id: ticket.id });
  return doc;
}

export const emptyRatings = (): RatingFigures => ({ count: 0, sum: 0, by_score: {} });

export function addRating(figures: RatingFigures, rating: number): RatingFigures {
  const key = String(rating);
  return { count: figures.count + 1, sum: figures.sum + rating, by_score: { ...figures.by_score, [key]: (figures.by_score[key] ?? 0) + 1 } };
}

export function mergeRatings(a: RatingFigures, b: RatingFigures): RatingFigures {
  const by_score = { ...a.by_score };
  for (const [k, n] of Object.entries(b.by_score)) by_score[k] = (by_score[k] ?? 0) + n;
  return { count: a.count + b.count, sum: a.sum + b.sum, by_score };
}

/** A day's ratings matching a filter (scopes.ts): a scan of that day's ratings only. */
export async function ratingsOn(db: Connection, day: string, scope: Record<string, string>): Promise<RatingFigures> {
  const docs = await ratingsOfDay(db, day).find(scope, { rating: 1 }).lean<Pick<RatingDoc, "rating">[]>();
  return docs.reduce((f, d) => addRating(f, d.rating), emptyRatings());
}

/** A rating as the API answers it. */
export const ratingToWire = (doc: RatingDoc) => ({ ticket_id: doc._id, queue_id: doc.queue_id, rating: doc.rating, comment: doc.comment, rated_at: doc.rated_at.toISOString() });

/** As the API shows them. */
export const ratingSummary = (f: RatingFigures) => ({ count: f.count, mean: f.count ? f.sum / f.count : null, by_score: f.by_score });
