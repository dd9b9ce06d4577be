/**
 * What every section of the event form shares: the types of the form's inputs, the id prefix,
 * the labelled-field and checkbox builders, and the client-side checks. A section is a module
 * that builds its `<section>` from the initial input and returns it with `collect(errors)`,
 * which validates its controls and gives its part of the API's EventInput.
 */
import type { OrganiserMessages } from "../../../../src/contract/i18n/organiser.ts";
import type { Lang, Messages } from "../../../../src/contract/i18n/resident.ts";
import type { EventInput } from "../../../../src/domain/events/input.ts";
import type { FieldError } from "../../lib/api-client.ts";
import { h } from "../../lib/dom.ts";

export type T = Messages & OrganiserMessages;
export type { EventInput };

export interface PlaceOption {
  id: string;
  name: { text: string; lang?: string };
  street_address: string | null;
  postal_code: string | null;
  locality: string | null;
  village: { slug: string; name: string } | null;
  accessibility: string[];
}

export interface CategoryOption {
  slug: string;
  name: { text: string; lang?: string };
}

export const TEXT_LANGS = ["fi", "sv", "en"] as const;
export const LIMITS = { title: 200, short_description: 160, description: 10_000, price: 200, alt: 300 };

export const isUrl = (s: string) => /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(s);
export const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s));
export const isTime = (s: string) => /^([01]\d|2[0-3]):[0-5]\d$/.test(s);

/** A section of the form: its element, and its part of the input (errors pushed on the way). */
export interface Section<V> {
  element: HTMLElement;
  collect(errors: FieldError[]): V;
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** The builders one form's sections share; ids start with the form's own prefix `p`. */
export interface FormKit {
  p: string;
  t: T;
  lang: Lang;
  /** The initial input (editing), or null (a new event). */
  init: EventInput | null;
  /** A labelled field: label, optional hint, control. */
  field(
    control: Control,
    label: string,
    hint?: string,
    opt?: { required?: boolean; cls?: string },
  ): HTMLElement;
  input(id: string, dataField: string, type?: string, extra?: Record<string, string>): HTMLInputElement;
  check(id: string, name: string, value: string, label: string, checked: boolean): HTMLElement;
  section(id: string, title: string, ...children: (Node | null)[]): HTMLElement;
  /** The values of the checked boxes named `name` below `root`. */
  checked(root: HTMLElement, name: string): string[];
}

export function formKit(p: string, t: T, lang: Lang, init: EventInput | null): FormKit {
  return {
    p,
    t,
    lang,
    init,
    field(control, label, hint, opt) {
      const hintId = hint ? `${control.id}-hint` : null;
      if (hintId) control.setAttribute("aria-describedby", hintId);
      if (opt?.required) control.setAttribute("aria-required", "true");
      return h(
        "div",
        { class: `field ${opt?.cls ?? ""}`.trim() },
        h(
          "label",
          { for: control.id },
          label,
          opt?.required ? h("span", { class: "req" }, ` (${t.required})`) : null,
        ),
        hintId ? h("p", { class: "hint", id: hintId }, hint ?? "") : null,
        control,
      );
    },
    input(id, dataField, type = "text", extra = {}) {
      return h("input", { id: `${p}-${id}`, name: id, type, "data-field": dataField, ...extra });
    },
    check(id, name, value, label, checked) {
      const box = h("input", { type: "checkbox", id: `${p}-${id}`, name, value });
      box.checked = checked;
      return h("div", { class: "check" }, box, h("label", { for: box.id }, label));
    },
    section(id, title, ...children) {
      return h(
        "section",
        { class: "form-section", "aria-labelledby": `${p}-${id}-h` },
        h("h2", { id: `${p}-${id}-h` }, title),
        ...children,
      );
    },
    checked(root, name) {
      return [...root.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map(
        (c) => c.value,
      );
    },
  };
}

/**
 * A text edited in one field (price, image text alternative) is the version the field showed
 * (the UI language's, else the first stored); the other languages' versions are kept.
 */
export function withLangText(
  lang: Lang,
  before: Partial<Record<string, string>> | undefined,
  text: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(before ?? {})) if (v) out[k] = v;
  // The field showed another language's text when the UI language had none: that one is edited.
  const target = out[lang] ? lang : (Object.keys(out)[0] ?? lang);
  if (text) out[target] = text;
  else delete out[target];
  return out;
}

/** The stored text shown in a one-language field: the UI language's, else the first there is. */
export const shownText = (x: Partial<Record<string, string>> | null | undefined, lang: Lang): string =>
  x ? (x[lang] ?? Object.values(x).find(Boolean) ?? "") : "";
