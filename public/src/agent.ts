// /agent/: the counter's console. Sign in, choose the branch, queue and counter, then
// work the counter: open or close it, call the next ticket, recall, no-show, start,
// complete, transfer to another queue, pause the queue — by button or by key. The
// queue's live state is beside it; a refusal is told in words.
import { all, api, ApiError, inWords, saveSession, savedSession } from "./api.ts";
import { byId, el, showStatus } from "./dom.ts";
import { t, waitText, type Word } from "./i18n.ts";
import { LiveQueue } from "./live-queue.ts";
import { applyEvents, type QueueSnapshot } from "./queue-view.ts";
import { fillOptions, myBranches, signInForm, type Named } from "./sign-in.ts";
import { fillWords } from "./words.ts";

interface Place {
  queue: Named;
  counter: Named;
}

const PLACE_KEY = "smartqueue-agent-place";
let place: Place | null = JSON.parse(sessionStorage.getItem(PLACE_KEY) ?? "null");
let view: QueueSnapshot | null = null;
let live: LiveQueue | null = null;

const select = (id: string) => byId<HTMLSelectElement>(id);

function say(err: unknown): void {
  const message = byId("message");
  message.textContent = err ? inWords(err) : "";
  message.dataset.code = err instanceof ApiError ? err.code : err ? "local" : "";
}

function show(step: "sign-in" | "setup" | "console"): void {
  for (const id of ["sign-in", "setup", "console"]) byId(id).hidden = id !== step;
  byId("side").hidden = step !== "console";
  byId("sign-out").hidden = step === "sign-in";
  const session = savedSession();
  byId("who").textContent = session ? session.user.first_name || session.user.phone : "";
}

// ---- the counter's state, from the live channel

const myCounter = () => view?.counters.find((c) => c.id === place?.counter.id);
const myTicket = () => view?.now_serving.find((s) => s.counter_id === place?.counter.id);

function render(): void {
  if (!view || !place) return;
  const counter = myCounter();
  const ticket = myTicket();
  const state = counter?.open ? t("counterOpen") : t("counterClosed");
  byId("where").textContent = `${place.queue.name} — ${place.counter.name} (${state}${view.status === "paused" ? `, ${t("queuePaused")}` : ""})`;
  const current = byId("current");
  current.textContent = ticket ? `${ticket.number}` : t("none");
  current.dataset.status = ticket?.status ?? "none";
  byId("waiting-count").textContent = String(view.waiting_count);
  byId("waiting-count").dataset.waiting = String(view.waiting_count);
  byId("serving").replaceChildren(...view.now_serving.map((s) => el("li", {}, `${s.counter_name} : ${s.number}`)));
  byId("next").replaceChildren(...view.next.map((w) => el("li", { "data-number": w.number }, `${w.number} — ${waitText(w.estimated_wait_ms)}`)));
  byId<HTMLButtonElement>("action-counter").textContent = counter?.open ? t("closeCounter") : t("openCounter");
  byId<HTMLButtonElement>("action-pause").textContent = view.status === "paused" ? t("resume") : t("pause");
}

function watch(queueId: string): void {
  live?.stop();
  view = null;
  live = new LiveQueue({
    queueId,
    token: () => savedSession()?.access ?? "",
    onSnapshot: (snapshot) => {
      view = snapshot;
      render();
    },
    onEvents: (events, version) => {
      if (!view) return;
      const applied = applyEvents(view, events, version);
      view = applied.view;
      render();
      if (applied.stale) live?.resync();
    },
    onState: (state) => showStatus(state === "live" ? "" : t(state === "lost" ? "reconnecting" : "connecting"), state),
    // The sign-in may have ended (expired, changed): with fresh tokens the console carries on.
    stillAdmitted: signedInStill,
  }).start();
}

/** Asking who we are refreshes an expired sign-in; one that cannot be (401) signs out. */
async function signedInStill(): Promise<boolean> {
  try {
    await api("GET", "/api/accounts/users/me/");
    return true;
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) return true;
    signOut();
    return false;
  }
}

// ---- what the agent does

const ticketId = () => {
  const ticket = myTicket();
  if (!ticket) throw new Error(t("noTicket"));
  return ticket.ticket_id;
};
const queuePath = () => `/api/queues/queues/${place!.queue.id}`;
const ticketStep = (step: string) => () => api("POST", `/api/queues/tickets/${ticketId()}/${step}/`);

const ACTIONS: Array<{ id: string; key: string; word: Word; run: () => Promise<unknown> }> = [
  { id: "call-next", key: "n", word: "callNext", run: () => api("POST", `${queuePath()}/call-next/`, { counter_id: place!.counter.id }) },
  { id: "recall", key: "r", word: "recall", run: ticketStep("recall") },
  { id: "no-show", key: "a", word: "noShow", run: ticketStep("no-show") },
  { id: "start", key: "s", word: "start", run: ticketStep("start") },
  { id: "complete", key: "t", word: "complete", run: ticketStep("complete") },
  { id: "transfer", key: "x", word: "transfer", run: () => api("POST", `/api/queues/tickets/${ticketId()}/transfer/`, { queue_id: select("transfer-to").value }) },
  { id: "pause", key: "p", word: "pause", run: () => api("POST", `${queuePath()}/${view?.status === "paused" ? "resume" : "pause"}/`) },
  { id: "counter", key: "o", word: "openCounter", run: () => api("PUT", `${queuePath()}/counters/${place!.counter.id}/`, { open: !myCounter()?.open, name: place!.counter.name }) },
];

async function perform(action: (typeof ACTIONS)[number]): Promise<void> {
  try {
    say(null);
    await action.run();
  } catch (err) {
    say(err);
  }
}

function buildActions(): void {
  byId("actions").replaceChildren(
    ...ACTIONS.map((action) => {
      const button = el("button", { type: "button", id: `action-${action.id}`, "data-key": action.key }, t(action.word));
      button.addEventListener("click", () => void perform(action));
      return el("span", {}, button, el("kbd", {}, action.key.toUpperCase()));
    }),
  );
  document.addEventListener("keydown", (event) => {
    const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement;
    if (typing || event.ctrlKey || event.metaKey || event.altKey || byId("console").hidden) return;
    const action = ACTIONS.find((a) => a.key === event.key.toLowerCase());
    if (!action) return;
    event.preventDefault();
    void perform(action);
  });
}

// ---- signing in and choosing the counter

async function chooseBranch(): Promise<void> {
  const queues = await all<Named>(`/api/queues/queues/?branch_id=${select("branch").value}`);
  fillOptions(select("queue"), queues);
  await chooseQueue();
}

async function chooseQueue(): Promise<void> {
  const queueId = select("queue").value;
  const counters = queueId ? await api<Named[]>("GET", `/api/queues/queues/${queueId}/counters/`) : [];
  fillOptions(select("counter"), counters);
}

async function setUp(): Promise<void> {
  show("setup");
  fillOptions(select("branch"), await myBranches());
  await chooseBranch();
}

async function openConsole(): Promise<void> {
  show("console");
  const organization = savedSession()?.user.organization_id;
  const others = (await all<Named>(`/api/queues/queues/${organization ? `?organization_id=${organization}` : ""}`)).filter((q) => q.id !== place!.queue.id);
  fillOptions(select("transfer-to"), others);
  watch(place!.queue.id);
}

function signOut(): void {
  live?.stop();
  const session = savedSession();
  if (session) void api("POST", "/api/accounts/auth/logout/", { refresh: session.refresh }).catch(() => {});
  saveSession(null);
  sessionStorage.removeItem(PLACE_KEY);
  place = null;
  show("sign-in");
}

function chosen(id: string): Named {
  const option = select(id).selectedOptions[0];
  return { id: option.value, name: option.textContent ?? "" };
}

fillWords();
byId("sign-out").textContent = t("signOut");
byId("sign-out").addEventListener("click", signOut);
buildActions();
signInForm(setUp, say);
select("branch").addEventListener("change", () => void chooseBranch().catch(say));
select("queue").addEventListener("change", () => void chooseQueue().catch(say));
byId("setup").addEventListener("submit", (event) => {
  event.preventDefault();
  place = { queue: chosen("queue"), counter: chosen("counter") };
  sessionStorage.setItem(PLACE_KEY, JSON.stringify(place));
  openConsole().catch(say);
});

if (!savedSession()) show("sign-in");
else if (!place) setUp().catch(say);
else openConsole().catch(say);
