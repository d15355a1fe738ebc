// A call said out loud on the office's screen: a chime, then the operator's recorded clips
// for it when there are (clips.ts), else the browser's speech synthesis in the page's
// language. Calls are said one after the other, never over each other. The text also goes
// to the page (#announcement), for those who cannot hear it.
import { playClips } from "./clips.ts";
import { byId } from "./dom.ts";
import { lang } from "./i18n.ts";

const VOICE_LANG = lang === "en" ? "en-GB" : "fr-FR";
interface Announcement {
  text: string;
  clips: string[] | null;
}

const pending: Announcement[] = [];
let speaking = false;
let audio: AudioContext | null = null;

function chime(): Promise<void> {
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    [880, 660].forEach((frequency, i) => {
      const tone = audio!.createOscillator();
      const gain = audio!.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.25, now + i * 0.35);
      gain.gain.exponentialRampToValueAtTime(0.001, now + i * 0.35 + 0.3);
      tone.connect(gain).connect(audio!.destination);
      tone.start(now + i * 0.35);
      tone.stop(now + i * 0.35 + 0.3);
    });
  } catch {
    // No sound on this device: the text on screen still tells.
  }
  return new Promise((resolve) => setTimeout(resolve, 700));
}

function say(text: string): Promise<void> {
  if (!("speechSynthesis" in window)) return Promise.resolve();
  return new Promise((resolve) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = VOICE_LANG;
    utterance.rate = 0.9;
    const done = () => resolve();
    utterance.onend = done;
    utterance.onerror = done;
    // A voice that never starts (no speech engine) must not hold the next calls back.
    setTimeout(done, 8_000);
    speechSynthesis.speak(utterance);
  });
}

/** Counted on the page (data-played-clips) once every clip of a call has played. */
async function sayWithClips(clips: string[], text: string): Promise<void> {
  try {
    await playClips(clips);
    const shown = byId("announcement");
    shown.dataset.playedClips = String(Number(shown.dataset.playedClips ?? 0) + 1);
  } catch {
    await say(text);
  }
}

async function next(): Promise<void> {
  if (speaking) return;
  const call = pending.shift();
  if (call === undefined) return;
  speaking = true;
  await chime();
  await (call.clips ? sayWithClips(call.clips, call.text) : say(call.text));
  speaking = false;
  void next();
}

export function announce(text: string, clips: string[] | null = null): void {
  const shown = byId("announcement");
  shown.textContent = text;
  shown.dataset.count = String(Number(shown.dataset.count ?? 0) + 1);
  shown.dataset.clips = clips?.join(" ") ?? "";
  pending.push({ text, clips });
  void next();
}
