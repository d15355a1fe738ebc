// The queue actor's public surface: the machine, its queries and its shapes.
export { decide, initialState, type QueueConfig } from "./machine.ts";
export { announced, estimatedWait, position, snapshot, SNAPSHOT_NEXT } from "./queries.ts";
export { headOfLine, type LineHead } from "./line-head.ts";
export { isNear } from "./turn-near.ts";
export { firstInLine, nextInLine, placesInLine, rankTime } from "./ordering.ts";
export { displayNumber, localDay } from "./numbering.ts";
export { DEFAULT_POLICY } from "./policy.ts";
export type * from "./types.ts";
export { CHANNELS, ENDED_STATUSES, NEAR_CHANNELS, OPEN_STATUSES, PRIORITY_CLASSES } from "./types.ts";
