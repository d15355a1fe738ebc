// An office screen on a queue's live channel, as the Node harnesses' receivers watch it
// (load-tests/displays/receiver.ts): it waits for its snapshot, then applies each delta,
// asking for a re-sync when `from_version` does not follow on from its version. For every
// delta it records publish→screen delay from `sent_at`, the update's publication time on
// the deployment's clock (epoch ms), so the figure includes any offset between that clock
// and this machine's: keep both on NTP, or read the delay on a machine next to the servers.
import { check } from "k6";
import ws from "k6/ws";
import { Counter, Trend } from "k6/metrics";
import { queueChannel } from "../../lib/public-api.ts";
import { WS_URL } from "./env.ts";

export const screenDelay = new Trend("screen_delay", true);
/** Connect → snapshot: how long a screen waits to be admitted and shown its queue. */
export const snapshotTime = new Trend("screen_snapshot", true);
/** Updates delivered to screens: a delta merging several updates counts each. */
export const screenUpdates = new Counter("screen_updates");
export const screenGaps = new Counter("screen_gaps");
/** Screens whose socket the deployment closed, or never admitted. */
export const screensDropped = new Counter("screens_dropped");

interface Message {
  type: string;
  version?: number;
  from_version?: number;
  sent_at?: number;
}

/** Holds one screen's socket on `queueId` for `seconds`, then closes it. */
export function watchQueue(queueId: string, displayToken: string, seconds: number): void {
  const opened = Date.now();
  let version: number | null = null;
  let closing = false;
  const res = ws.connect(queueChannel(WS_URL, queueId, displayToken), {}, (socket) => {
    socket.on("message", (text) => {
      const received = Date.now();
      const message = JSON.parse(text) as Message;
      if (message.type === "snapshot") {
        if (version === null) snapshotTime.add(received - opened);
        version = message.version ?? null;
      } else if (message.type === "delta" && version !== null) {
        screenUpdates.add(message.version! - message.from_version! + 1);
        screenDelay.add(received - message.sent_at!);
        // As the harness's receiver: a gap is counted once, and the re-sync's snapshot sets the version again.
        if (message.from_version !== version + 1) {
          screenGaps.add(1);
          socket.send(JSON.stringify({ type: "resync" }));
        }
        version = message.version!;
      }
    });
    socket.on("close", () => {
      if (!closing) screensDropped.add(1);
    });
    socket.setTimeout(() => {
      closing = true;
      socket.close(1000);
    }, seconds * 1000);
  });
  if (!check(res, { "queue channel upgraded (101)": (r) => r && r.status === 101 })) screensDropped.add(1);
}
