/**
 * Building blocks of the account pages: labelled fields, password fields with a show
 * toggle, client-side checks with translated messages, turning API problems into field
 * errors in the page's language, busy submit buttons, the ?next= guard and token reading.
 */
import type { AccountMessages } from "../../../src/contract/i18n/account.ts";
import { type Lang, MESSAGES } from "../../../src/contract/i18n/resident.ts";
import { safeNextPath } from "../../../src/contract/safe-next.ts";
import { api, type FieldError, Problem } from "../lib/api-client.ts";
import { setSignedInHint, withLang } from "../lib/common.ts";
import { h } from "../lib/dom.ts";
import { formatShortDay, helsinkiTime } from "../lib/format.ts";
import { announce, clearErrors, type ErrorTexts, showErrors } from "../lib/forms.ts";

export interface AccountPage {
  lang: Lang;
  t: AccountMessages;
  root: HTMLElement;
}

let seq = 0;
const nextId = (base: string) => `${base}-${++seq}`;

export interface FieldOptions {
  name: string;
  label: string;
  type?: string;
  autocomplete?: string;
  hint?: string;
  value?: string;
  required?: boolean;
  maxlength?: number;
  id?: string;
}

/** A labelled input with an optional hint (linked with aria-describedby). */
export function field(opts: FieldOptions): { wrap: HTMLDivElement; input: HTMLInputElement } {
  const id = opts.id ?? nextId(`f-${opts.name}`);
  const hintId = opts.hint ? `${id}-hint` : undefined;
  const input = h("input", {
    id,
    name: opts.name,
    type: opts.type ?? "text",
    autocomplete: opts.autocomplete ?? "off",
    required: opts.required === false ? undefined : "",
    "aria-describedby": hintId,
    maxlength: opts.maxlength ? String(opts.maxlength) : undefined,
    spellcheck: opts.type === "email" || opts.type === "password" ? "false" : undefined,
    autocapitalize: opts.type === "email" || opts.type === "password" ? "none" : undefined,
  });
  if (opts.value) input.value = opts.value;
  const wrap = h(
    "div",
    { class: "field account-field" },
    h("label", { for: id }, opts.label),
    opts.hint ? h("p", { class: "field-hint", id: hintId }, opts.hint) : null,
    input,
  );
  return { wrap, input };
}

/** "Show password" checkbox that switches the given password inputs to text and back. */
export function showPasswordToggle(label: string, inputs: HTMLInputElement[]): HTMLDivElement {
  const id = nextId("show-password");
  const box = h("input", { type: "checkbox", id, "aria-controls": inputs.map((i) => i.id).join(" ") });
  box.addEventListener("change", () => {
    for (const input of inputs) input.type = box.checked ? "text" : "password";
  });
  return h("div", { class: "field--check account-check" }, box, h("label", { for: id }, label));
}

/** A form that does not use the browser's own validation bubbles (our messages are translated). */
export function accountForm(...children: (Node | null)[]): HTMLFormElement {
  return h("form", { class: "account-form", novalidate: "" }, ...children);
}

export function submitButton(label: string): HTMLButtonElement {
  return h("button", { type: "submit", class: "button" }, label);
}

/** Marks a button busy while `work` runs (it stays focusable; double submits are ignored). */
export async function whileBusy<T>(button: HTMLButtonElement, busyLabel: string, work: () => Promise<T>) {
  const label = [...button.childNodes]; // keeps visually hidden parts of the name
  button.setAttribute("aria-disabled", "true");
  button.dataset.busy = "1";
  button.textContent = busyLabel;
  try {
    return await work();
  } finally {
    button.removeAttribute("aria-disabled");
    delete button.dataset.busy;
    button.replaceChildren(...label);
  }
}

export const isBusy = (button: HTMLButtonElement) => button.dataset.busy === "1";

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkEmail(value: string, t: AccountMessages, path = "email"): FieldError | null {
  const v = value.trim();
  if (!v) return { path, message: t.errEmailRequired };
  if (!EMAIL_RE.test(v) || v.length > 254) return { path, message: t.errEmailInvalid };
  return null;
}

/**
 * The API's password rules (src/http/auth/routes.ts, src/domain/accounts/password-policy.ts): 10–200
 * characters, not containing the email address; the common-password list is checked by the
 * server only (it is too big to ship to every browser).
 */
export function checkNewPassword(
  value: string,
  t: AccountMessages,
  path = "password",
  email?: string,
): FieldError | null {
  if (!value) return { path, message: t.errPasswordRequired };
  if (value.length < 10) return { path, message: t.errPasswordShort };
  if (value.length > 200) return { path, message: t.errPasswordLong };
  const address = email?.trim().toLowerCase() ?? "";
  const local = address.split("@")[0] ?? "";
  const pw = value.toLowerCase();
  if ((address && pw.includes(address)) || (local.length >= 4 && pw.includes(local))) {
    return { path, message: t.errPasswordEmail };
  }
  return null;
}

export const errorTexts = (t: AccountMessages): ErrorTexts => ({ summaryHeading: t.errorSummary });

/** Translated messages for the field errors of an API problem (the API speaks English). */
export function problemErrors(p: Problem, t: AccountMessages): FieldError[] {
  if (p.status === 0) return [{ path: "_form", message: t.errNetwork }];
  if (p.status === 429) return [{ path: "_form", message: t.errRateLimited }];
  if (p.status === 401) return [{ path: "_form", message: t.errSessionExpired }];
  if (p.status === 403) return [{ path: "_form", message: t.errForbidden }];
  if (p.errors.length === 0) return [{ path: "_form", message: t.errServer }];
  return p.errors.map((e) => {
    const leaf = e.path.split(".")[0] ?? e.path;
    const passwordField = leaf === "password" || leaf === "new_password" || leaf === "current_password";
    const message =
      leaf === "email"
        ? t.errEmailInvalid
        : passwordField && e.code === "common_password"
          ? t.errPasswordCommon
          : passwordField && e.code === "contains_email"
            ? t.errPasswordEmail
            : passwordField && e.code === "wrong_password"
              ? t.errPasswordWrong
              : passwordField
                ? /is required/.test(e.message)
                  ? t.errPasswordRequired
                  : /at least/.test(e.message)
                    ? t.errPasswordShort
                    : /at most|too big|200/.test(e.message)
                      ? t.errPasswordLong
                      : t.errInvalid
                : leaf === "display_name"
                  ? t.errNameRequired
                  : leaf === "token"
                    ? t.errTokenInvalid
                    : leaf === "name"
                      ? t.errTokenName
                      : t.errInvalid;
    return { path: e.path, message };
  });
}

/**
 * Shows errors (client-side or translated API ones) next to their fields with a focused
 * summary; errors about the whole form ("_form") get a focused alert of their own.
 */
export function formErrors(form: HTMLFormElement, errors: FieldError[], t: AccountMessages): HTMLElement {
  const general = errors.filter((e) => e.path === "_form");
  if (general.length === 0) return showErrors(form, errors, errorTexts(t));
  clearErrors(form);
  const summary = h(
    "div",
    { class: "error-summary", role: "alert", tabindex: "-1" },
    h("h2", {}, t.errorSummary),
    ...general.map((e) => h("p", {}, e.message)),
  );
  form.insertBefore(summary, form.firstChild);
  summary.focus();
  return summary;
}

/**
 * Shows a failure in the form's error summary: the API's field errors (400) next to their
 * fields, or what went wrong otherwise (network, server, rate limit).
 */
export function formFailure(form: HTMLFormElement, err: unknown, t: AccountMessages): void {
  const p = err instanceof Problem ? err : new Problem(500, "error", null, [], {});
  formErrors(form, problemErrors(p, t), t);
}

/**
 * The `?next=` target after logging in: only a same-site path after URL normalisation
 * (src/contract/safe-next.ts, the same check the server makes), so a link cannot send a user
 * on to another site.
 */
export const safeNext = (raw: string | null | undefined): string | null => safeNextPath(raw);

/**
 * Reads ?token= and removes it from the address bar at once (history.replaceState), so it
 * does not stay in the history, bookmarks or screenshots. ?lang stays.
 */
export function takeToken(): string | null {
  const url = new URL(location.href);
  const token = url.searchParams.get("token");
  if (url.searchParams.has("token")) {
    url.searchParams.delete("token");
    history.replaceState(history.state, "", `${url.pathname}${url.search}${url.hash}`);
  }
  return token?.trim() || null;
}

/** An internal link that keeps the page language. */
export const link = (path: string, lang: Lang, text: string, cls?: string) =>
  h("a", { href: withLang(path, lang), class: cls }, text);

/** A result panel (success, or a failure with help) whose heading takes focus. */
export function resultPanel(
  kind: "ok" | "error",
  title: string,
  ...body: (Node | string | null)[]
): HTMLElement {
  const heading = h("h2", { class: "result__title", tabindex: "-1" }, title);
  return h(
    "section",
    { class: `result result--${kind}`, role: kind === "error" ? "alert" : "status" },
    h("span", { class: "result__icon", "aria-hidden": "true" }, kind === "ok" ? "✓" : "!"),
    h("div", { class: "result__body" }, heading, ...body),
  );
}

/** Replaces the page's content with `panel` and moves focus to its heading. */
export function showResult(root: HTMLElement, panel: HTMLElement): void {
  root.replaceChildren(panel);
  panel.querySelector<HTMLElement>(".result__title")?.focus();
}

/** "ma 23.11.2026 klo 14.05", "må 23.11.2026 kl. 14.05", "Mon 23 November 2026, 14:05" (Helsinki time). */
export function formatDateTime(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const t = MESSAGES[lang];
  const w = helsinkiTime(d);
  const mm = String(w.mm).padStart(2, "0");
  const day = formatShortDay(w, lang, t);
  if (lang === "en") return `${day}, ${String(w.hh).padStart(2, "0")}:${mm}`;
  return `${day} ${t.clockPrefix}${w.hh}${t.clockSep}${mm}`;
}

/** A status line for loading states. */
export function loadingLine(text: string): HTMLElement {
  return h(
    "p",
    { class: "loading", role: "status" },
    h("span", { class: "spinner", "aria-hidden": "true" }),
    text,
  );
}

/** A failure message for an action, in a live region next to it. */
export function actionError(where: HTMLElement, err: unknown, t: AccountMessages): void {
  const p = err instanceof Problem ? err : null;
  const message =
    p?.status === 0
      ? t.errNetwork
      : p?.status === 401
        ? t.errSessionExpired
        : p?.status === 403
          ? t.errForbidden
          : p?.status === 429
            ? t.errRateLimited
            : t.errServer;
  announce(where, message, "error");
}

/**
 * A "Log out" button: ends the session (an already ended one is fine), forgets the
 * signed-in hint of the header menu, then runs `done`; a failure is announced in `where`.
 */
export function logoutButton(page: AccountPage, where: HTMLElement, done: () => void): HTMLButtonElement {
  const { t } = page;
  const button = h(
    "button",
    { type: "button", class: "button button--secondary", id: "logout" },
    t.logoutButton,
  );
  button.addEventListener("click", async () => {
    if (isBusy(button)) return;
    await whileBusy(button, t.sending, async () => {
      try {
        await api("POST", "/api/v1/auth/logout");
      } catch (err) {
        if (!(err instanceof Problem && err.status === 401)) {
          actionError(where, err, t);
          return;
        }
      }
      setSignedInHint(null);
      done();
    });
  });
  return button;
}
