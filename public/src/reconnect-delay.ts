// How long a live page waits before its next attempt to reconnect: 100 ms, 200 ms, … up
// to 1 s, each with up to 100 ms of jitter so the screens of a restarted node do not all
// come back in the same instant. The restart benchmark's screens wait the same
// (load-tests/displays/receiver.ts), so its figures are what offices see.
export const reconnectDelay = (attempt: number, random: () => number = Math.random): number => Math.min(100 * 2 ** attempt, 1000) + random() * 100;
