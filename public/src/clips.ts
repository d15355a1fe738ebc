// A call assembled from clips an operator recorded in a language the browser cannot speak
// (Wolof, say): <CALL_CLIPS_DIR>/<lang>/clips.json names a clip for the words "ticket" and
// "counter", for each letter of the queues' prefixes and for numbers (0 to 9 at least; a
// whole number that has its own clip, such as 42, is said with it, else digit by digit).
// "Ticket A 42, guichet 3" is then ticket, A, 42 (or 4, 2), counter, 3.
export interface ClipSet {
  ticket: string;
  counter: string;
  letters: Record<string, string>;
  numbers: Record<string, string>;
}

export interface Clips {
  base: string;
  set: ClipSet;
}

export async function loadClips(lang: string): Promise<Clips | null> {
  const base = `/clips/${encodeURIComponent(lang)}/`;
  try {
    const response = await fetch(`${base}clips.json`);
    return response.ok ? { base, set: (await response.json()) as ClipSet } : null;
  } catch {
    return null;
  }
}

function saidNumber(set: ClipSet, digits: string): string[] | null {
  const number = String(Number(digits));
  if (set.numbers[number]) return [set.numbers[number]];
  const each = [...number].map((digit) => set.numbers[digit]);
  return each.every(Boolean) ? each : null;
}

/** The clips' addresses for a call, or null if one is missing (the browser's voice says it then). */
export function clipsOfCall({ base, set }: Clips, number: string, counterName: string): string[] | null {
  const ticket = /^([A-Z]*)-?(\d+)$/.exec(number);
  const counter = /(\d+)\s*$/.exec(counterName);
  if (!ticket || !counter) return null;
  const letters = [...ticket[1]].map((letter) => set.letters[letter]);
  const ticketNumber = saidNumber(set, ticket[2]);
  const counterNumber = saidNumber(set, counter[1]);
  if (!set.ticket || !set.counter || !letters.every(Boolean) || !ticketNumber || !counterNumber) return null;
  return [set.ticket, ...letters, ...ticketNumber, set.counter, ...counterNumber].map((clip) => base + encodeURIComponent(clip));
}

/** Plays the clips one after the other; fails if one cannot be played. */
export async function playClips(urls: string[]): Promise<void> {
  for (const url of urls) {
    await new Promise<void>((resolve, reject) => {
      const audio = new Audio(url);
      audio.onended = () => resolve();
      audio.onerror = () => reject(new Error(`cannot play ${url}`));
      audio.play().catch(reject);
    });
  }
}
