// Fills every `data-word` element of a page with its word in the page's language.
import { t, type Word } from "./i18n.ts";

export function fillWords(root: ParentNode = document): void {
  for (const element of root.querySelectorAll<HTMLElement>("[data-word]")) element.textContent = t(element.dataset.word as Word);
}
