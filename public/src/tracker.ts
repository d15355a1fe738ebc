// /t/{code}: a citizen's ticket, followed from the kiosk's QR code or an SMS link without
// an account, live on /ws/tracker/{code} (asked every few seconds while that channel is
// down): the place, the wait, and the counter once called, with a vibration and a chime
// where the phone allows; the citizen may leave the queue.
import { api, ApiError, inWords } from "./api.ts";
import { byId, showStatus } from "./dom.ts";
import { t, waitText } from "./i18n.ts";
import { liveBaseUrl } from "./live-queue.ts";
import { fillWords } from "./words.ts";

interface Tracked {
  number: string;
  queue_name: string;
  status: string;
  position: number | null;
  estimated_wait_seconds: number | null;
  counter_name: string | null;
}

const ASK_EVERY_MS = 3_000;
const RECONNECT_MS = 5_000;
const code = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() ?? "");
const trackerPath = `/api/queues/trackers/${encodeURIComponent(code)}/`;
let calledAt: string | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;

function alertCitizen(): void {
  navigator.vibrate?.([300, 150, 300]);
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    tone.frequency.value = 880;
    tone.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.4);
  } catch {
    // No sound allowed before a touch: the page still says it.
  }
}

function render(ticket: Tracked): void {
  byId("tracked").hidden = false;
  byId("queue-name").textContent = ticket.queue_name;
  byId("number").textContent = ticket.number;
  document.body.dataset.status = ticket.status;
  // A ticket between two queues (transferred) waits in the next one.
  const waiting = ticket.status === "waiting" || ticket.status === "transferred";
  const atCounter = ticket.status === "called" || ticket.status === "serving";
  byId("waiting").hidden = !waiting;
  byId("position").textContent = String(ticket.position ?? "");
  byId("position").dataset.position = String(ticket.position ?? "");
  byId("wait").textContent = waitText((ticket.estimated_wait_seconds ?? 0) * 1000);
  const called = byId("called");
  called.hidden = !atCounter;
  called.textContent = atCounter ? t("calledTo", { counter: ticket.counter_name ?? "" }) : "";
  const key = atCounter ? `${ticket.status}:${ticket.counter_name}` : null;
  if (ticket.status === "called" && key !== calledAt) alertCitizen();
  calledAt = key;
  const ended = !waiting && !atCounter;
  byId("ended").hidden = !ended;
  byId("ended").textContent = ticket.status === "cancelled" ? t("leftQueue") : t("ticketEnded");
  // Once called, the citizen goes to the counter rather than leaving from afar.
  byId("leave").hidden = !waiting;
}

const isOpen = (ticket: Tracked) => ["waiting", "called", "serving", "transferred"].includes(ticket.status);
let live = false;
let lastSeen: Tracked | null = null;

function seen(ticket: Tracked): void {
  lastSeen = ticket;
  showStatus("", "live");
  render(ticket);
}

/** Asks once; then again every few seconds while the live channel is down and the ticket open. */
async function ask(): Promise<void> {
  clearTimeout(timer);
  try {
    seen(await api<Tracked>("GET", trackerPath));
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) {
      showStatus(t("trackerUnknown"), "ended");
      return;
    }
    showStatus(t("reconnecting"), "lost");
  }
  if (!live && (!lastSeen || isOpen(lastSeen))) timer = setTimeout(ask, ASK_EVERY_MS);
}

/** The live channel: each change of the ticket as it happens. Closed for good once the ticket ends. */
function listen(): void {
  const socket = new WebSocket(`${liveBaseUrl()}/ws/tracker/${encodeURIComponent(code)}`, ["smartqueue"]);
  socket.onopen = () => {
    live = true;
    document.body.dataset.feed = "live";
    clearTimeout(timer);
  };
  socket.onmessage = (message) => {
    const received = JSON.parse(String(message.data)) as { type: string; ticket?: Tracked };
    if (received.type === "tracked" && received.ticket) seen(received.ticket);
  };
  socket.onclose = () => {
    live = false;
    document.body.dataset.feed = "asking";
    if (lastSeen && !isOpen(lastSeen)) return;
    void ask();
    setTimeout(listen, RECONNECT_MS);
  };
}

fillWords();
byId("leave").addEventListener("click", () => {
  if (!confirm(t("confirmLeave"))) return;
  clearTimeout(timer);
  api("DELETE", trackerPath).then(ask, (err) => {
    byId("message").textContent = inWords(err);
    void ask();
  });
});
void ask().then(() => lastSeen && isOpen(lastSeen) && listen());
