/** Tiny DOM helpers: elements are built with createElement/textContent only (strict CSP, no innerHTML). */

export type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined | null | false> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null && value !== false) el.setAttribute(name, value);
  }
  for (const child of children) {
    // appendChild, not append: the root tsconfig also loads @cloudflare/workers-types, whose
    // HTMLRewriter `Element` interface merges into the DOM one and shadows ParentNode#append/before.
    if (child) el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return el;
}

export function byId<T = HTMLElement>(id: string): T {
  const el = document.getElementById(id) as Element | null;
  if (!el) throw new Error(`#${id} missing from the page`);
  return el as unknown as T;
}

/** Copies text to the clipboard; falls back to selecting an input's text. */
export async function copyText(text: string, input?: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (input) {
      input.focus();
      input.select();
      try {
        return document.execCommand("copy");
      } catch {
        return false;
      }
    }
    return false;
  }
}
