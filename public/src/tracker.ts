// /t/{code}: a citizen's ticket, followed from the kiosk's QR code or an SMS link without
// an account. It asks the ticket's tracker every few seconds (an anonymous holder of a
// link has no live channel) and tells the place, the wait, and the counter once called,
// with a vibration and a chime where the phone allows; the citizen may leave the queue.
import { api, ApiError, inWords } from "./api.ts";
import { byId, showStatus } from "./dom.ts";
import { t, waitText } from "./i18n.ts";
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
  const waiting = ticket.status === "waiting";
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

async function follow(): Promise<void> {
  try {
    const ticket = await api<Tracked>("GET", trackerPath);
    showStatus("", "live");
    render(ticket);
    if (["waiting", "called", "serving"].includes(ticket.status)) timer = setTimeout(follow, ASK_EVERY_MS);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) {
      showStatus(t("trackerUnknown"), "ended");
      return;
    }
    showStatus(t("reconnecting"), "lost");
    timer = setTimeout(follow, ASK_EVERY_MS);
  }
}

fillWords();
byId("leave").addEventListener("click", () => {
  if (!confirm(t("confirmLeave"))) return;
  clearTimeout(timer);
  api("DELETE", trackerPath).then(follow, (err) => {
    byId("message").textContent = inWords(err);
    void follow();
  });
});
void follow();
