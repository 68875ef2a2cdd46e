/**
 * The few DOM helpers the page needs. Text is always set as text, never as HTML: job fields and
 * server messages cannot inject markup.
 */

/** The element with this id, checked to be of the expected kind (the page's HTML is ours). */
export function byId<T extends HTMLElement>(id: string, kind: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`The page has no <${kind.name}> #${id}`);
  return element;
}

/** A new element with attributes and text or children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string>> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** A `<time>` for an ISO timestamp, shown as the local time of day; `—` when absent. */
export function timeOf(iso: string | undefined): Node {
  if (iso === undefined) return document.createTextNode('—');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return document.createTextNode(iso);
  return h('time', { datetime: iso, title: iso }, date.toLocaleTimeString());
}
