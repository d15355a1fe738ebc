// A few DOM helpers the pages share: elements built with their text (never HTML, so a
// queue or counter name cannot inject markup), and a page's status line.
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page lacks #${id}`);
  return found as T;
}

/** The page's connection state, shown in words and as `data-state` for styles and tests. */
export function showStatus(text: string, state: string): void {
  const status = byId("status");
  status.textContent = text;
  status.dataset.state = state;
}
