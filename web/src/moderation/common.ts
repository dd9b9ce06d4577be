/**
 * Shared parts of the moderation pages: the merged dictionary, the moderator-only access
 * check (with a sign-in link back to the page), localised instants, picking a translation,
 * problem messages, a one-shot "flash" result carried to the next page, and an accessible
 * confirmation dialog (<dialog>, focus moved in and restored, Escape cancels).
 */
import { MODERATION_MESSAGES, type ModerationMessages } from "../../../src/contract/i18n/moderation.ts";
import type { Lang, Messages } from "../../../src/contract/i18n/resident.ts";
import { currentUser, type Me, Problem } from "../lib/api-client.ts";
import { applyChrome, renderUserNav, withLang } from "../lib/common.ts";
import { h } from "../lib/dom.ts";
import { formatShortDay, helsinkiTime } from "../lib/format.ts";
import { appPathname, SITE_DEFAULT_LANG, sitePath } from "../lib/site.ts";

export type T = Messages & ModerationMessages;

export interface ModPage {
  lang: Lang;
  t: T;
  app: HTMLElement;
}

/** Applies the chrome and marks the current page in the moderation navigation. */
export function setupPage(): ModPage {
  const { lang, t } = applyChrome(undefined, MODERATION_MESSAGES);
  const here = appPathname().replace(/\/$/, "");
  for (const a of document.querySelectorAll<HTMLAnchorElement>(".mod-nav a")) {
    const path = appPathname(a.dataset.href ?? a.pathname);
    // The queue's link is the current page there, and the current section on a review page.
    if (path === here) a.setAttribute("aria-current", "page");
    else if (path === "/moderointi" && here.startsWith("/moderointi/tapahtumat/"))
      a.setAttribute("aria-current", "true");
    else a.removeAttribute("aria-current");
  }
  const app = document.getElementById("app") as HTMLElement;
  return { lang, t: t as T, app };
}

export function loadingBox(t: T): HTMLElement {
  return h(
    "p",
    { class: "loading", role: "status" },
    h("span", { class: "spinner", "aria-hidden": "true" }),
    t.loadingData,
  );
}

/**
 * The signed-in moderator or admin; otherwise renders a message (sign in, with a link back
 * here, or "no access") into `app` and resolves null.
 */
export async function requireModeratorUser(p: ModPage): Promise<Me | null> {
  const { app, t, lang } = p;
  app.replaceChildren(loadingBox(t));
  let me: Me | null;
  try {
    me = await currentUser();
  } catch (err) {
    showLoadError(p, err, () => location.reload());
    return null;
  }
  // The header's user menu follows the session just read (it was drawn from the remembered hint).
  renderUserNav(lang);
  // Moderators of this site's municipality, and the regional ones (GET /me `here`).
  if (me?.here.moderator) return me;
  // The moderation sections mean nothing to someone who cannot open them.
  document.querySelector(".mod-nav")?.setAttribute("hidden", "");
  const login = new URL(sitePath("/kirjaudu"), location.origin);
  if (lang !== SITE_DEFAULT_LANG) login.searchParams.set("lang", lang);
  login.searchParams.set("next", `${location.pathname}${location.search}`);
  const box = me
    ? h(
        "div",
        { class: "notice notice--error access-box", role: "alert" },
        h("h2", {}, t.notModeratorHeading),
        h("p", {}, t.notModeratorText),
        h("p", {}, h("a", { href: withLang("/", lang) }, t.backToFront)),
      )
    : h(
        "div",
        { class: "notice access-box" },
        h("h2", {}, t.signInHeading),
        h("p", {}, t.signInText),
        h(
          "p",
          {},
          h(
            "a",
            { class: "button", href: `${login.pathname}${login.search}`, id: "sign-in-link" },
            t.signInLink,
          ),
        ),
      );
  app.replaceChildren(box);
  return null;
}

/** A readable message for a failed API call. */
export function problemMessage(err: unknown, t: T): string {
  if (err instanceof Problem) {
    if (err.status === 0) return t.networkError;
    if (err.status === 409) return t.conflict;
    if (err.status === 403) return t.forbidden;
    if (err.status === 404) return t.notFoundEvent;
    return err.detail ?? err.title;
  }
  return t.loadFailed;
}

/** Replaces the page content with a load error and a retry button. */
export function showLoadError(p: ModPage, err: unknown, retry: () => void): void {
  const button = h("button", { type: "button", class: "button button--secondary" }, p.t.retryLoad);
  button.addEventListener("click", retry);
  p.app.replaceChildren(
    h(
      "div",
      { class: "notice notice--error", role: "alert" },
      h("p", { class: "notice__title" }, p.t.loadFailed),
      h("p", {}, problemMessage(err, p.t)),
      h("p", {}, button),
    ),
  );
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** An instant in Helsinki time: "ma 23.11.2026 klo 5.07", "må 23.11.2026 kl. 5.07", "Mon 23 November 2026, 05:07". */
export function formatInstant(iso: string, lang: Lang, t: T): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const w = helsinkiTime(d);
  const day = formatShortDay(w, lang, t);
  if (lang === "en") return `${day}, ${pad2(w.hh)}:${pad2(w.mm)}`;
  return `${day} ${t.clockPrefix}${w.hh}${t.clockSep}${pad2(w.mm)}`;
}

/** A <time> element for an instant. */
export function timeEl(iso: string, lang: Lang, t: T): HTMLElement {
  return h("time", { datetime: iso }, formatInstant(iso, lang, t));
}

export type Texts = Partial<Record<Lang, string>> | null | undefined;

/** The translation in `lang`, else fi → sv → en, with the language it is in. */
export function pick(texts: Texts, lang: Lang): { lang: Lang; text: string } | null {
  if (!texts) return null;
  for (const l of [lang, "fi", "sv", "en"] as Lang[]) {
    const v = texts[l];
    if (v) return { lang: l, text: v };
  }
  return null;
}

/** A span with the picked translation, marked with its language when it differs from the page's. */
export function textSpan(texts: Texts, lang: Lang, fallback = ""): HTMLElement {
  const p = pick(texts, lang);
  return h("span", p && p.lang !== lang ? { lang: p.lang } : {}, p?.text ?? fallback);
}

const FLASH_KEY = "kuntakalenteri.moderation.flash";

/** Remembers a result message to announce on the next page. */
export function setFlash(text: string): void {
  try {
    sessionStorage.setItem(FLASH_KEY, text);
  } catch {
    // Storage disabled: the next page simply shows no result message.
  }
}

export function takeFlash(): string | null {
  try {
    const v = sessionStorage.getItem(FLASH_KEY);
    sessionStorage.removeItem(FLASH_KEY);
    return v;
  } catch {
    return null;
  }
}

/** Only http(s) URLs from event data become links. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url, location.href);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}

export interface ConfirmOptions {
  heading: string;
  body: (Node | string)[];
  confirmLabel: string;
  cancelLabel: string;
  danger?: boolean;
}

let dialogSeq = 0;

/**
 * Asks for confirmation in a modal <dialog>. Focus moves to the cancel button (the safe
 * choice), Tab stays inside (the browser's modal dialog), Escape or Cancel resolve false,
 * and focus returns to the element that opened it.
 */
export function confirmDialog(o: ConfirmOptions): Promise<boolean> {
  const opener = document.activeElement as HTMLElement | null;
  const id = `confirm-${++dialogSeq}`;
  const cancel = h(
    "button",
    { type: "button", class: "button button--secondary", value: "cancel" },
    o.cancelLabel,
  );
  const ok = h(
    "button",
    { type: "button", class: `button${o.danger ? " button--danger" : ""}`, value: "ok" },
    o.confirmLabel,
  );
  const dialog = h(
    "dialog",
    { class: "dialog mod-dialog", "aria-labelledby": `${id}-h`, "aria-describedby": `${id}-b` },
    h("h2", { id: `${id}-h` }, o.heading),
    h("div", { id: `${id}-b`, class: "mod-dialog__body" }, ...o.body),
    h("div", { class: "mod-dialog__actions" }, ok, cancel),
  );
  document.body.appendChild(dialog);
  return new Promise((resolve) => {
    let result = false;
    const finish = (value: boolean) => {
      result = value;
      dialog.close();
    };
    ok.addEventListener("click", () => finish(true));
    cancel.addEventListener("click", () => finish(false));
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (opener && document.contains(opener)) opener.focus();
      resolve(result);
    });
    dialog.showModal();
    cancel.focus();
  });
}

/** Links to an event's review page. */
export const reviewHref = (id: string, lang: Lang) => withLang(`/moderointi/tapahtumat/${id}`, lang);

/** replaceChildren that skips absent parts (null, false). */
export function fill(el: Element, ...kids: (Node | string | null | undefined | false)[]): void {
  el.replaceChildren(...kids.filter((k): k is Node | string => Boolean(k)));
}
