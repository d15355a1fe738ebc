// Fills every `data-word` element of a page with its word in the page's language, and every
// `data-label` one with its word as a label (followed by the language's colon).
import { label, t, type Word } from "./i18n.ts";

export function fillWords(root: ParentNode = document): void {
  for (const element of root.querySelectorAll<HTMLElement>("[data-word]")) element.textContent = t(element.dataset.word as Word);
  for (const element of root.querySelectorAll<HTMLElement>("[data-label]")) element.textContent = label(element.dataset.label as Word);
}
