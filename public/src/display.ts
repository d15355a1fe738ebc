// /display/?token=<display token>: the office's TV. One panel per queue of the token's
// branch (or of `&queues=<id>,<id>`, to show some of them): who is at each counter, the
// next tickets, how many wait and for how long; a strip of the last calls; each call
// chimed and said, by the browser's French voice or with the clips recorded for
// `&voice=<lang>` (clips.ts). Every queue has its own live channel, which comes back by
// itself; a revoked token closes the screen for good.
import { announce } from "./announcer.ts";
import { api, ApiError } from "./api.ts";
import { clipsOfCall, loadClips, type Clips } from "./clips.ts";
import { byId, el, showStatus } from "./dom.ts";
import { label, t, waitText } from "./i18n.ts";
import { LiveQueue, type LiveState } from "./live-queue.ts";
import { announcement, applyEvents, waitForNewcomer, type Call, type QueueSnapshot } from "./queue-view.ts";

const LAST_CALLS = 6;
/** Snapshots asked for because the deltas were not enough come at most this often. */
const RESYNC_EVERY_MS = 1_000;
/** A queue added to the branch, or closed down, shows on its screens within this. */
const LOOK_FOR_QUEUES_EVERY_MS = 5 * 60_000;
const RETRY_START_MS = 5_000;

interface Panel {
  name: string;
  view: QueueSnapshot | null;
  state: LiveState;
  live: LiveQueue;
  element: HTMLElement;
  resyncTimer?: ReturnType<typeof setTimeout>;
}

const params = new URLSearchParams(location.search);
const token = params.get("token") ?? "";
const chosenQueues = (params.get("queues") ?? "").split(",").map((id) => id.trim()).filter(Boolean);
const voice = params.get("voice");
let clips: Clips | null = null;
const panels = new Map<string, Panel>();
const lastCalls: Call[] = [];

function renderPanel(panel: Panel): void {
  const { view } = panel;
  if (!view) return;
  const serving = new Map(view.now_serving.map((s) => [s.counter_id, s]));
  const counters = view.counters.filter((c) => c.open || serving.has(c.id));
  const status = view.status === "paused" ? t("queuePaused") : view.status === "closed" ? t("queueClosed") : "";
  panel.element.replaceChildren(
    el("h2", {}, panel.name, status ? el("span", { class: "badge" }, status) : ""),
    el("ul", { class: "counters" }, ...counters.map((counter) => {
      const at = serving.get(counter.id);
      return el("li", { "data-counter": counter.id, class: at?.status ?? "idle" }, el("span", { class: "counter-name" }, counter.name), el("span", { class: "number" }, at?.number ?? t("nobody")));
    })),
    el("div", { class: "stats" },
      el("p", {}, label("waiting"), el("strong", { "data-waiting": String(view.waiting_count) }, String(view.waiting_count))),
      el("p", {}, label("estimatedWait"), el("strong", { class: "wait" }, waitText(waitForNewcomer(view))))),
    el("h3", {}, t("next")),
    el("ol", { class: "next" }, ...view.next.slice(0, 5).map((w) => el("li", {}, w.number))),
  );
}

function renderLastCalls(): void {
  byId("last-calls").replaceChildren(...lastCalls.map((call) => el("li", {}, el("span", { class: "number" }, call.number), " → ", call.counter_name)));
}

function closeForGood(): void {
  document.body.dataset.state = "revoked";
  showStatus(t("displayRevoked"), "ended");
  for (const panel of panels.values()) panel.live.stop();
}

function renderStatus(): void {
  const states = [...panels.values()].map((p) => p.state);
  if (states.includes("ended")) closeForGood();
  else if (states.includes("lost")) showStatus(t("reconnecting"), "lost");
  else if (states.includes("connecting")) showStatus(t("connecting"), "connecting");
  else showStatus("", "live");
}

function heard(panel: Panel, calls: Call[]): void {
  for (const call of calls) {
    lastCalls.unshift(call);
    const text = announcement(call, { callText: (number, counter) => t("callText", { number, counter }), counter: t("counter") });
    announce(text, clips && clipsOfCall(clips, call.number, call.counter_name));
  }
  lastCalls.splice(LAST_CALLS);
  renderLastCalls();
  renderPanel(panel);
}

function askSnapshot(panel: Panel): void {
  panel.resyncTimer ??= setTimeout(() => {
    panel.resyncTimer = undefined;
    panel.live.resync();
  }, RESYNC_EVERY_MS);
}

function watch(queueId: string): void {
  const element = el("section", { class: "queue", "data-queue-id": queueId });
  byId("queues").append(element);
  const panel: Panel = {
    name: "",
    view: null,
    state: "connecting",
    element,
    live: new LiveQueue({
      queueId,
      token: () => token,
      onSnapshot: (snapshot, name) => {
        panel.view = snapshot;
        panel.name = name;
        renderPanel(panel);
      },
      onEvents: (events, version) => {
        if (!panel.view) return;
        const applied = applyEvents(panel.view, events, version);
        panel.view = applied.view;
        heard(panel, applied.calls);
        if (applied.stale) askSnapshot(panel);
      },
      onState: (state) => {
        panel.state = state;
        renderStatus();
      },
      stillAdmitted: tokenStillValid,
    }),
  };
  panels.set(queueId, panel);
  panel.live.start();
}

const branchQueues = () => api<{ queues: Array<{ id: string }> }>("POST", "/api/queues/display-queues/", { token });

/** The queues asked for in the address, else every active queue of the token's branch. */
async function queuesToShow(): Promise<string[]> {
  if (chosenQueues.length > 0) return chosenQueues;
  return (await branchQueues()).queues.map((queue) => queue.id);
}

/** A revoked token stays refused: the screen closes until it is given a new one. Any other failure may pass. */
async function tokenStillValid(): Promise<boolean> {
  try {
    await branchQueues();
    return true;
  } catch (err) {
    return !(err instanceof ApiError && err.status === 401);
  }
}

/** The branch's queues as they are now: a queue added is shown, one closed down is taken off. */
async function showBranchQueues(): Promise<void> {
  const ids = await queuesToShow();
  for (const id of ids) if (!panels.has(id)) watch(id);
  for (const [id, panel] of panels) {
    if (ids.includes(id)) continue;
    panel.live.stop();
    panel.element.remove();
    panels.delete(id);
  }
}

async function start(): Promise<void> {
  byId("last-calls-title").textContent = t("lastCalls");
  showStatus(t("connecting"), "connecting");
  if (voice) clips = await loadClips(voice);
  for (;;) {
    try {
      await showBranchQueues();
      break;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return closeForGood();
      showStatus(t("reconnecting"), "lost");
      await new Promise((resolve) => setTimeout(resolve, RETRY_START_MS));
    }
  }
  if (chosenQueues.length > 0) return;
  setInterval(() => {
    showBranchQueues().catch((err) => err instanceof ApiError && err.status === 401 && closeForGood());
  }, LOOK_FOR_QUEUES_EVERY_MS);
}

if (!token) {
  document.body.dataset.state = "unconfigured";
  showStatus(t("displayNoToken"), "ended");
} else void start();
