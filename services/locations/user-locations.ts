// A user's own locations: personal data, kept for the configured retention and no longer.
// One document per user, by _id (the only filter FerretDB serves without a scan), holding
// the user's recent points, newest first, at most MAX_POINTS; each read and write drops
// the points past their retention, and a sweep deletes the documents whose newest point
// has expired. The document also holds the user's arrival shares (arrival-shares.ts) and a
// version, one more per point, for the live channel. Nothing here logs a position.
import { randomUUID } from "node:crypto";
import { withShare, type ArrivalShare } from "./arrival-shares.ts";
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

/** What a user's document holds now, for their live channel. */
export interface UserTrack {
  points: UserPoint[];
  version: number;
  shares: ArrivalShare[];
}

export interface Recorded {
  point: UserPoint;
  version: number;
  shares: ArrivalShare[];
}

export function userLocations(store: LocationsStore, retentionMs: number, now: () => Date) {
  const expiry = (points: UserPoint[]) => new Date(new Date(points[0]!.recorded_at).getTime() + retentionMs);
  return {
    async list(userId: string): Promise<UserPoint[]> {
      return (await this.track(userId)).points;
    },
    async track(userId: string): Promise<UserTrack> {
      const doc = await store.userPoints.findById(userId).lean<UserPointsDoc>();
      const points = doc ? retained(doc.points, now(), retentionMs) : [];
      return { points, version: doc?.version ?? 0, shares: points.length ? (doc?.shares ?? []) : [] };
    },
    /**
     * Records a point, with the shares `stillOpen` keeps plus `share` if one is made; a
     * concurrent record by the same user may be lost (last write wins).
     */
    async record(
      userId: string,
      point: { latitude: number; longitude: number; accuracy_m?: number },
      share: ArrivalShare | null,
      stillOpen: (shares: ArrivalShare[]) => Promise<ArrivalShare[]>,
    ): Promise<Recorded> {
      const added: UserPoint = { id: randomUUID(), lat: point.latitude, lon: point.longitude, accuracy_m: point.accuracy_m ?? null, recorded_at: now() };
      const doc = await store.userPoints.findById(userId).lean<UserPointsDoc>();
      const points = retained([added, ...(doc?.points ?? [])], now(), retentionMs);
      const shares = withShare(await stillOpen(doc?.shares ?? []), share);
      const version = (doc?.version ?? 0) + 1;
      await store.userPoints.replaceOne({ _id: userId }, { _id: userId, points, version, shares, expires_at: expiry(points) }, { upsert: true });
      return { point: added, version, shares };
    },
    /**
     * Stops sharing the arrival for a ticket; false when the user shares nothing for it. A
     * point recorded at the same moment may write the share back (last write wins).
     */
    async unshare(userId: string, ticketId: string): Promise<boolean> {
      const doc = await store.userPoints.findById(userId).lean<UserPointsDoc>();
      const shares = doc?.shares ?? [];
      if (!shares.some((s) => s.ticket_id === ticketId)) return false;
      await store.userPoints.updateOne({ _id: userId }, { $set: { shares: shares.filter((s) => s.ticket_id !== ticketId) } });
      return true;
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
