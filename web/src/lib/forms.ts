/**
 * Form errors, accessibly: each API field error is shown next to its control (matched by the
 * control's data-field, else its name, against the error's dotted path), the control gets
 * aria-invalid and aria-describedby, and an error summary at the top of the form lists every
 * error as a link to its field, takes focus and is announced (role="alert").
 * Errors with no matching control appear in the summary only.
 */
import type { FieldError } from "./api-client.ts";
import { h } from "./dom.ts";

export interface ErrorTexts {
  /** Heading of the summary, e.g. "Korjaa seuraavat kohdat". */
  summaryHeading: string;
  /** Label for a field when the control has none, by path; defaults to the path. */
  fieldLabel?: (path: string) => string | null;
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function controlFor(form: HTMLFormElement, path: string): Control | null {
  // (Cast: @cloudflare/workers-types, also loaded by the root tsconfig, clashes with
  // HTMLSelectElement in querySelectorAll's type parameter.)
  const all = [...form.querySelectorAll("input, select, textarea")] as unknown as Control[];
  // Exact data-field or name, then the closest enclosing path ("title.fi.0" → "title.fi" → "title").
  const parts = path.split(".");
  for (let n = parts.length; n > 0; n--) {
    const p = parts.slice(0, n).join(".");
    const hit = all.find((c) => c.dataset.field === p) ?? all.find((c) => c.name === p);
    if (hit) return hit;
  }
  return null;
}

function labelOf(control: Control): string {
  const id = control.id;
  const label = id ? control.form?.querySelector(`label[for="${CSS.escape(id)}"]`) : null;
  return (label?.textContent ?? control.getAttribute("aria-label") ?? control.name).trim();
}

/** Removes every error shown by showErrors. */
export function clearErrors(form: HTMLFormElement): void {
  form.querySelector(".error-summary")?.remove();
  for (const el of form.querySelectorAll(".field-error")) el.remove();
  for (const c of form.querySelectorAll<HTMLElement>('[aria-invalid="true"]')) {
    c.removeAttribute("aria-invalid");
    const ids = (c.getAttribute("aria-describedby") ?? "")
      .split(/\s+/)
      .filter((x) => x && !x.endsWith("-error"));
    if (ids.length) c.setAttribute("aria-describedby", ids.join(" "));
    else c.removeAttribute("aria-describedby");
  }
}

/** Shows field errors next to their controls and in a focused summary; returns the summary. */
export function showErrors(form: HTMLFormElement, errors: FieldError[], texts: ErrorTexts): HTMLElement {
  clearErrors(form);
  const items: HTMLElement[] = [];
  const seen = new Set<Control>();
  for (const error of errors) {
    const control = controlFor(form, error.path);
    const label = control ? labelOf(control) : (texts.fieldLabel?.(error.path) ?? error.path);
    if (control && !seen.has(control)) {
      seen.add(control);
      if (!control.id) control.id = `f-${error.path.replace(/[^\w-]/g, "-")}`;
      const errorId = `${control.id}-error`;
      const message = h("p", { class: "field-error", id: errorId }, error.message);
      // After the control, or after its group (radio/checkbox sets, inputs with a suffix).
      const anchor = control.closest(".field, fieldset") ?? control;
      if (anchor === control) control.insertAdjacentElement("afterend", message);
      else anchor.appendChild(message);
      control.setAttribute("aria-invalid", "true");
      const described = (control.getAttribute("aria-describedby") ?? "").split(/\s+/).filter(Boolean);
      control.setAttribute("aria-describedby", [...described, errorId].join(" "));
    }
    const link = control ? h("a", { href: `#${control.id}` }, `${label}: ${error.message}`) : null;
    items.push(h("li", {}, link ?? `${label}: ${error.message}`));
    if (link && control) {
      link.addEventListener("click", (ev) => {
        ev.preventDefault();
        control.focus();
      });
    }
  }
  const summary = h(
    "div",
    { class: "error-summary", role: "alert", tabindex: "-1" },
    h("h2", {}, texts.summaryHeading),
    h("ul", {}, ...items),
  );
  form.insertBefore(summary, form.firstChild);
  summary.focus();
  return summary;
}

/** Shows a message (success or failure) in a live region inside `where`, replacing the last one. */
export function announce(where: HTMLElement, text: string, kind: "ok" | "error" = "ok"): HTMLElement {
  where.querySelector(":scope > .notice")?.remove();
  const notice = h(
    "p",
    { class: `notice notice--${kind}`, role: kind === "error" ? "alert" : "status" },
    text,
  );
  where.insertBefore(notice, where.firstChild);
  return notice;
}
