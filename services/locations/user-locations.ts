// A user's own locations: personal data, kept for the configured retention and no longer.
// One document per user, by _id (the only filter FerretDB serves without a scan), holding
// the user's recent points, newest first, at most MAX_POINTS; each read and write drops
// the points past their retention, and a sweep deletes the documents whose newest point
// has expired. Nothing here logs a position.
import { randomUUID } from "node:crypto";
import type { LocationsStore, UserPointsDoc } from "./store.ts";

export const MAX_POINTS = 100;

export interface UserPoint {
  id: string;
  lat: number;
  lon: number;
  accuracy_m: number | null;
  recorded_at: Date;
}

/** The points still within their retention, newest first, at most MAX_POINTS. */
export function retained(points: readonly UserPoint[], now: Date, retentionMs: number): UserPoint[] {
  return points
    .filter((p) => now.getTime() - new Date(p.recorded_at).getTime() < retentionMs)
    .sort((a, b) => new Date(b.recorded_at).getTime() - new Date(a.recorded_at).getTime())
    .slice(0, MAX_POINTS);
}

export function userLocations(store: LocationsStore, retentionMs: number, now: () => Date) {
  const expiry = (points: UserPoint[]) => new Date(new Date(points[0]!.recorded_at).getTime() + retentionMs);
  return {
    async list(userId: string): Promise<UserPoint[]> {
      const doc = await store.userPoints.findById(userId).lean<UserPointsDoc>();
      return doc ? retained(doc.points, now(), retentionMs) : [];
    },
    /** Records a point; a concurrent record by the same user may be lost (last write wins). */
    async record(userId: string, point: { latitude: number; longitude: number; accuracy_m?: number }): Promise<UserPoint> {
      const added: UserPoint = { id: randomUUID(), lat: point.latitude, lon: point.longitude, accuracy_m: point.accuracy_m ?? null, recorded_at: now() };
      const doc = await store.userPoints.findById(userId).lean<UserPointsDoc>();
      const points = retained([added, ...(doc?.points ?? [])], now(), retentionMs);
      await store.userPoints.replaceOne({ _id: userId }, { _id: userId, points, expires_at: expiry(points) }, { upsert: true });
      return added;
    },
    /** Deletes every location of users whose newest one has passed its retention. */
    async sweep(): Promise<number> {
      const { deletedCount } = await store.userPoints.deleteMany({ expires_at: { $lte: now() } });
      return deletedCount;
    },
  };
}

export const userPointToWire = (p: UserPoint, retentionMs: number) => ({
  id: p.id, latitude: p.lat, longitude: p.lon, accuracy_m: p.accuracy_m,
  recorded_at: new Date(p.recorded_at).toISOString(), expires_at: new Date(new Date(p.recorded_at).getTime() + retentionMs).toISOString(),
});
