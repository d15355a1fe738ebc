// How fast one moves in Dakar, by mode and hour of day. Senegal keeps UTC all year (no
// daylight saving), so Dakar's hour is the UTC hour.
//
// The car profile (km/h, door to door on the road network, lights and junctions included):
// free-flowing at night, the morning rush from 07:00 to 10:00 (towards the Plateau on the
// VDN, the autoroute and the corniche) at its worst 08:00–09:00, a midday plateau, the
// evening rush 17:00–20:00 at its worst 18:00–19:00. Taxis drive the same roads (plus a
// few minutes to find one); buses (Dakar Dem Dikk, cars rapides, the BRT) run at about
// 60% of a car's speed plus a wait at the stop; walking is 4.5 km/h at any hour.
// These figures are a documented estimate, not a measurement; traffic reports
// (traffic.ts) slow them further where staff say the roads are jammed.
export const MODES = ["walk", "car", "taxi", "bus"] as const;
export type Mode = (typeof MODES)[number];

/** Car speed by hour 0..23, km/h. */
export const CAR_KMH: readonly number[] = [
  // 0   1   2   3   4   5   6   7   8   9  10  11
  40, 42, 42, 42, 40, 36, 28, 18, 13, 15, 20, 22,
  // 12 13  14  15  16  17  18  19  20  21  22  23
  20, 19, 21, 21, 19, 16, 12, 14, 20, 26, 32, 36,
];

export interface ModeRule {
  /** Road distance over great-circle distance. */
  detour: number;
  /** Minutes spent before moving: hailing a taxi, waiting at the stop. */
  startMinutes: number;
  kmh: (hour: number) => number;
}

export const WALK_KMH = 4.5;
export const BUS_SHARE_OF_CAR = 0.6;

export const MODE_RULES: Record<Mode, ModeRule> = {
  walk: { detour: 1.25, startMinutes: 0, kmh: () => WALK_KMH },
  car: { detour: 1.35, startMinutes: 0, kmh: (hour) => CAR_KMH[hour]! },
  taxi: { detour: 1.35, startMinutes: 4, kmh: (hour) => CAR_KMH[hour]! },
  bus: { detour: 1.45, startMinutes: 10, kmh: (hour) => CAR_KMH[hour]! * BUS_SHARE_OF_CAR },
};

/** Whether the mode shares the roads with traffic (walking does not slow in a jam). */
export const onTheRoad = (mode: Mode) => mode !== "walk";

/** Dakar's hour (UTC, no daylight saving) of an instant. */
export const dakarHour = (at: Date) => at.getUTCHours();
