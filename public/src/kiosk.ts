// /kiosk/: the touch screen at the office's door, signed in once on a staff account and
// set to its branch. A citizen chooses a service (a queue of the branch), a priority class
// where the queue gives one a head start, and may give a phone number to get the tracker
// link by SMS; the ticket prints on 80 mm paper (pages.css) with its number, service,
// estimated wait and a QR code to its tracker. `?print=off` shows the ticket without
// printing (a kiosk's browser prints silently in kiosk-printing mode).
import { all, api, ApiError, inWords, savedSession } from "./api.ts";
import { byId, el } from "./dom.ts";
import { t, waitText, type Word } from "./i18n.ts";
import { drawQr } from "./qr.ts";
import { fillOptions, myBranches, signInForm, type Named } from "./sign-in.ts";
import { fillWords } from "./words.ts";

interface Queue extends Named {
  policy?: { head_start_ms?: Record<string, number> };
}

/** The classes a citizen may claim (the queue's rules decide the rest), as the kiosk names them. */
const CLASSES: Array<{ priority: string; word: Word }> = [
  { priority: "normal", word: "priorityNormal" },
  { priority: "elderly", word: "priorityElderly" },
  { priority: "pregnant", word: "priorityPregnant" },
  { priority: "disabled", word: "priorityDisabled" },
];
const BRANCH_KEY = "smartqueue-kiosk-branch";
const printing = new URLSearchParams(location.search).get("print") !== "off";

let queues: Queue[] = [];
let chosenQueue: Queue | null = null;
let chosenPriority = "normal";

function say(err: unknown): void {
  byId("message").textContent = err ? inWords(err) : "";
}

function show(step: "sign-in" | "setup" | "take" | "ticket"): void {
  for (const id of ["sign-in", "setup", "take", "ticket"]) byId(id).hidden = id !== step;
}

const pressed = (container: HTMLElement, chosen: HTMLElement) => {
  for (const button of container.querySelectorAll("button")) button.setAttribute("aria-pressed", String(button === chosen));
};

/** A class is offered where the queue gives it a head start (the default policy gives the three). */
const offered = (queue: Queue) => CLASSES.filter(({ priority }) => priority === "normal" || (queue.policy?.head_start_ms?.[priority] ?? 1) > 0);

function choosePriority(priority: string, button: HTMLElement): void {
  chosenPriority = priority;
  pressed(byId("priorities"), button);
}

function chooseQueue(queue: Queue, button: HTMLElement): void {
  chosenQueue = queue;
  pressed(byId("services"), button);
  const classes = offered(queue);
  byId("priority-block").hidden = classes.length < 2;
  byId("priorities").replaceChildren(
    ...classes.map(({ priority, word }) => {
      const choice = el("button", { type: "button", "data-priority": priority }, t(word));
      choice.addEventListener("click", () => choosePriority(priority, choice));
      return choice;
    }),
  );
  choosePriority("normal", byId("priorities").querySelector("button")!);
  byId<HTMLButtonElement>("take-ticket").disabled = false;
}

async function openKiosk(branchId: string): Promise<void> {
  queues = await all<Queue>(`/api/queues/queues/?branch_id=${branchId}&is_active=true`);
  byId("services").replaceChildren(
    ...queues.map((queue) => {
      const button = el("button", { type: "button", "data-queue-id": queue.id }, queue.name);
      button.addEventListener("click", () => chooseQueue(queue, button));
      return button;
    }),
  );
  byId("priority-block").hidden = true;
  byId<HTMLButtonElement>("take-ticket").disabled = true;
  byId<HTMLInputElement>("sms-phone").value = "";
  chosenQueue = null;
  show("take");
}

interface Tracker {
  path: string;
  sms: { to: string; status: string } | null;
}

/** The ticket's tracker, texted to the phone given; a number that is not one does not keep the ticket from printing. */
async function trackerOf(ticketId: string, phone: string): Promise<Tracker> {
  const path = `/api/queues/tickets/${ticketId}/tracker/`;
  if (!phone) return api<Tracker>("POST", path);
  try {
    return await api<Tracker>("POST", path, { sms_to: phone });
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== "validation_failed") throw err;
    return { ...(await api<Tracker>("POST", path)), sms: { to: phone, status: "not_sent" } };
  }
}

async function takeTicket(): Promise<void> {
  if (!chosenQueue) return;
  const ticket = await api<{ id: string; number: string }>("POST", "/api/queues/tickets/", { queue_id: chosenQueue.id, channel: "kiosk", priority: chosenPriority });
  const { path, sms } = await trackerOf(ticket.id, byId<HTMLInputElement>("sms-phone").value.trim());
  const tracked = await api<{ queue_name: string; estimated_wait_seconds: number | null }>("GET", `/api/queues/trackers/${path.split("/").pop()}/`);
  const url = `${location.origin}${path}`;
  byId("ticket-number").textContent = ticket.number;
  byId("ticket-service").textContent = tracked.queue_name;
  byId("ticket-wait").textContent = waitText((tracked.estimated_wait_seconds ?? 0) * 1000);
  drawQr(byId<HTMLCanvasElement>("ticket-qr"), url);
  const texted = sms !== null && sms.status !== "not_sent" && sms.status !== "failed";
  byId("ticket-sms").hidden = !texted;
  byId("ticket-sms").textContent = texted ? t("smsSent", { phone: sms.to }) : "";
  if (sms && !texted) byId("message").textContent = t("smsNotSent");
  show("ticket");
  if (printing) window.print();
}

fillWords();
signInForm(async () => {
  fillOptions(byId<HTMLSelectElement>("branch"), await myBranches());
  show("setup");
}, say);
byId("setup").addEventListener("submit", (event) => {
  event.preventDefault();
  const branchId = byId<HTMLSelectElement>("branch").value;
  localStorage.setItem(BRANCH_KEY, branchId);
  openKiosk(branchId).catch(say);
});
byId("take-ticket").addEventListener("click", () => {
  say(null);
  takeTicket().catch(say);
});
byId("new-ticket").addEventListener("click", () => {
  say(null);
  openKiosk(localStorage.getItem(BRANCH_KEY)!).catch(say);
});

const branch = localStorage.getItem(BRANCH_KEY);
if (!savedSession()) show("sign-in");
else if (branch) openKiosk(branch).catch(say);
else myBranches().then((branches) => (fillOptions(byId<HTMLSelectElement>("branch"), branches), show("setup")), say);
