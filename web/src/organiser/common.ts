/**
 * Pieces shared by the organiser pages: reference data for the form, problem messages,
 * the confirmation dialog, state labels and the duplicate warning.
 */
import type { Lang } from "../../../src/contract/i18n/resident.ts";
import { api, type FieldError, Problem } from "../lib/api-client.ts";
import { withLang } from "../lib/common.ts";
import { h } from "../lib/dom.ts";
import { showErrors } from "../lib/forms.ts";
import type { CategoryOption, EventForm, PlaceOption, T } from "./event-form.ts";

export interface Refs {
  places: PlaceOption[];
  categories: CategoryOption[];
}

export async function loadRefs(lang: Lang): Promise<Refs> {
  const [places, categories] = await Promise.all([
    api<{ data: PlaceOption[] }>("GET", `/api/v1/places?lang=${lang}`),
    api<{ data: CategoryOption[] }>("GET", `/api/v1/categories?lang=${lang}`),
  ]);
  const byName = (a: { name: { text: string } }, b: { name: { text: string } }) =>
    a.name.text.localeCompare(b.name.text, lang);
  return { places: [...places.data].sort(byName), categories: [...categories.data].sort(byName) };
}

/** Whether the problem is the optimistic-concurrency conflict (not an invalid transition). */
export const isConflict = (err: unknown): boolean =>
  err instanceof Problem && err.status === 409 && String(err.body.type ?? "").endsWith("problem-conflict");

/** A short, localised text for a failed call (the API's own detail as a fallback). */
export function problemText(err: unknown, t: T): string {
  if (!(err instanceof Problem)) return t.loadFailed;
  if (err.status === 0) return t.networkError;
  if (err.status === 404 || err.status === 403) return t.notFound;
  if (isConflict(err)) return t.conflict;
  if (err.status === 409) return t.notAllowed;
  return err.detail ?? err.title;
}

const TEXT_PATH =
  /^(event\.)?(title|short_description|description|price|image\.alt|place\.name|place\.street_address|place\.locality|submitter\.name)\b/;

/**
 * The API's field error in the UI language when its code is one the UI knows (the API's
 * messages are English); otherwise the API's own text.
 */
export function localiseIssue(e: FieldError, t: T): string {
  const p = e.path;
  if (e.code === "too_big" && typeof e.maximum === "number" && TEXT_PATH.test(p))
    return t.errTooLong(e.maximum);
  if (e.code === "too_many_occurrences" && typeof e.maximum === "number") return t.errOccurrences(e.maximum);
  if (p === "rrule" && e.code === "no_occurrences") return t.errNoOccurrences;
  if (p === "rrule" && e.code === "too_complex") return t.errRuleComplex;
  if (/(^|\.)(min_age|max_age)$/.test(p) && ["too_big", "too_small", "invalid_type"].includes(e.code ?? ""))
    return t.errAge;
  if (/(^|\.|_)url$/.test(p) && ["invalid_format", "custom"].includes(e.code ?? "")) return t.errUrl;
  if (/(^|\.)email$/.test(p) && e.code === "invalid_format") return t.errEmail;
  if (/postal_code$/.test(p) && e.code === "invalid_format") return t.errPostal;
  if (/(^|\.)(submitter\.name|place\.name)$/.test(p) && e.code === "too_small") return t.errRequired;
  return e.message;
}

/** Shows the API's field errors next to the controls of an event form (true when there were any). */
export function showApiErrors(ef: EventForm, err: unknown, t: T): boolean {
  if (!(err instanceof Problem) || err.errors.length === 0) return false;
  showErrors(
    ef.form,
    err.errors.map((e) => ({ path: ef.mapPath(e.path), message: localiseIssue(e, t) })),
    { summaryHeading: t.errorSummary },
  );
  ef.markTabs();
  return true;
}

export function stateText(state: string, eventStatus: string, t: T): string {
  const s = t.states[state] ?? state;
  const es = t.eventStatuses[eventStatus];
  return es ? `${s} – ${es}` : s;
}

/** The state as a labelled badge: text always, colour only as an extra. */
export function stateBadge(state: string, eventStatus: string, t: T): HTMLElement {
  return h(
    "span",
    { class: `state state--${state}${eventStatus !== "scheduled" ? ` state--${eventStatus}` : ""}` },
    stateText(state, eventStatus, t),
  );
}

export interface Duplicate {
  event_id: string;
  title: Partial<Record<string, string>>;
  state: string;
}

export function duplicateNotice(dups: Duplicate[], lang: Lang, t: T): HTMLElement {
  return h(
    "div",
    { class: "notice notice--warning", role: "alert", tabindex: "-1" },
    h("h2", { class: "notice__title" }, t.duplicateHeading),
    h("p", {}, t.duplicateText),
    h(
      "ul",
      {},
      ...dups.map((d) => {
        const title = d.title[lang] ?? d.title.fi ?? d.title.sv ?? d.title.en ?? "";
        const label = t.duplicateItem(title, t.states[d.state] ?? d.state);
        return h(
          "li",
          {},
          d.state === "published"
            ? h("a", { href: withLang(`/tapahtumat/${d.event_id}`, lang) }, label)
            : label,
        );
      }),
    ),
  );
}

/**
 * A modal confirmation (native <dialog>: focus is kept inside, Esc closes). Resolves with
 * the reason text (empty when no reason field) or null when cancelled; focus returns.
 */
export function confirmDialog(
  t: T,
  opts: { title: string; text: string; reason?: boolean },
): Promise<string | null> {
  const opener = document.activeElement as HTMLElement | null;
  const id = `dlg-${Math.random().toString(36).slice(2, 8)}`;
  const reason = opts.reason ? h("textarea", { id: `${id}-reason`, rows: "3", maxlength: "2000" }) : null;
  const yes = h("button", { type: "button", class: "button" }, t.confirmYes);
  const no = h("button", { type: "button", class: "button button--secondary" }, t.confirmNo);
  const dialog = h(
    "dialog",
    { class: "dialog", "aria-labelledby": `${id}-h`, "aria-describedby": `${id}-d` },
    h("h2", { id: `${id}-h` }, opts.title),
    h("p", { id: `${id}-d` }, opts.text),
    reason
      ? h("div", { class: "field field--wide" }, h("label", { for: reason.id }, t.reasonLabel), reason)
      : null,
    h("div", { class: "form-actions" }, yes, no),
  );
  document.body.appendChild(dialog);
  return new Promise((resolve) => {
    let result: string | null = null;
    yes.addEventListener("click", () => {
      result = reason?.value.trim() ?? "";
      dialog.close();
    });
    no.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      opener?.focus();
      resolve(result);
    });
    dialog.showModal();
    (reason ?? no).focus();
  });
}

/** A status or error message that takes focus (so it is read) at the top of `where`. */
export function message(where: HTMLElement, text: string, kind: "ok" | "error" = "ok"): HTMLElement {
  where.querySelector(":scope > .notice.flash")?.remove();
  const el = h(
    "p",
    { class: `notice flash notice--${kind}`, role: kind === "error" ? "alert" : "status", tabindex: "-1" },
    text,
  );
  where.insertBefore(el, where.firstChild);
  el.focus();
  return el;
}

export function loadingEl(t: T): HTMLElement {
  return h("p", { class: "loading", role: "status" }, t.loading);
}
