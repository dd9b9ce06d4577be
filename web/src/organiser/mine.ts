/**
 * The organiser's own events: /omat (list), /omat/tapahtumat/:id (details, the moderators'
 * comments, the actions the workflow allows now, and editing with optimistic concurrency),
 * and /ilmoita/omat (the same for a submitter without an account, through a magic link).
 */
import type { Lang } from "../../../src/contract/i18n/resident.ts";
import { api, currentUser, Problem } from "../lib/api-client.ts";
import { renderUserNav, withLang } from "../lib/common.ts";
import { byId, h } from "../lib/dom.ts";
import { formatEventTime } from "../lib/format.ts";
import { clearErrors, showErrors } from "../lib/forms.ts";
import { appPathname } from "../lib/site.ts";
import {
  confirmDialog,
  type Duplicate,
  duplicateNotice,
  isConflict,
  loadingEl,
  loadRefs,
  message,
  problemText,
  type Refs,
  showApiErrors,
  stateBadge,
} from "./common.ts";
import { buildEventForm, type EventInput, type T } from "./event-form.ts";
import { renderPreview } from "./event-preview.ts";

type Texts = Partial<Record<string, string>>;
const pickTitle = (x: Texts, lang: Lang) => x[lang] || x.fi || x.sv || x.en || "";

interface MyEventRow {
  id: string;
  version: number;
  state: string;
  event_status: string;
  title: Texts;
  start: string;
  organisation: { id: string; name: string | null } | null;
  pending_revision: boolean;
  moderator_comment: { action: string | null; text: string; at: string } | null;
}

interface MyEvent {
  id: string;
  version: number;
  state: string;
  event_status: string;
  organisation_id: string | null;
  event: EventInput;
  /** The event's place, also one that is not public yet (created with the event, awaiting moderation). */
  place: {
    id: string;
    name: Texts;
    street_address: string | null;
    postal_code: string | null;
    locality: string | null;
    approved: boolean;
  } | null;
  pending_revision: { proposed: EventInput; created_at: string } | null;
  allowed_actions: string[];
  decisions: { action: string; reason: string | null; by: string; created_at: string }[];
}

const MODERATOR_ACTIONS = new Set([
  "approve",
  "reject",
  "request_changes",
  "approve_revision",
  "reject_revision",
  "request_revision_changes",
]);

/** Who took a logged action, as the organiser should read it (moderators are users too). */
const whoDid = (d: { action: string; by: string }) =>
  MODERATOR_ACTIONS.has(d.action)
    ? "moderator"
    : d.by === "submitter"
      ? "submitter"
      : d.by === "system"
        ? "system"
        : "user";

const TOKEN_KEY = "kuntakalenteri.submitter";

/** Keeps a submitter's magic-link token for this tab only (never in the URL or localStorage). */
export function rememberSubmitterToken(token: string): void {
  try {
    sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage disabled: the link has to be opened again.
  }
}

function submitterToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** A start as date and time, or as a date alone when it is midnight in Helsinki (an all-day event). */
function startText(iso: string, lang: Lang): string {
  const clock = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Helsinki",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(iso));
  if (clock !== "00:00") return dateTime(iso, lang);
  return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : lang === "sv" ? "sv-FI" : "fi-FI", {
    timeZone: "Europe/Helsinki",
    dateStyle: "medium",
  }).format(new Date(iso));
}

const dateTime = (iso: string, lang: Lang) =>
  new Intl.DateTimeFormat(lang === "en" ? "en-GB" : lang === "sv" ? "sv-FI" : "fi-FI", {
    timeZone: "Europe/Helsinki",
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(iso));

function loginNotice(lang: Lang, t: T, next: string): HTMLElement {
  return h(
    "div",
    { class: "notice" },
    h("p", {}, t.loginRequired),
    h(
      "p",
      {},
      h(
        "a",
        { class: "button", href: withLang(`/kirjaudu?next=${encodeURIComponent(next)}`, lang) },
        t.loginLink,
      ),
    ),
  );
}

function commentBlock(
  c: { action: string | null; text: string; at?: string },
  lang: Lang,
  t: T,
): HTMLElement {
  return h(
    "div",
    { class: "comment" },
    h(
      "p",
      { class: "comment__label" },
      h("strong", {}, `${t.moderatorComment}`),
      c.action ? ` – ${t.commentActions[c.action] ?? c.action}` : "",
      c.at ? ` (${dateTime(c.at, lang)})` : "",
    ),
    h("blockquote", { class: "comment__text" }, h("p", {}, c.text)),
  );
}

// ---------------------------------------------------------------- /omat

export async function myEventsPage(lang: Lang, t: T): Promise<void> {
  const app = byId("app");
  app.replaceChildren(loadingEl(t));
  try {
    const me = await currentUser();
    renderUserNav(lang);
    if (!me) {
      app.replaceChildren(loginNotice(lang, t, "/omat"));
      return;
    }
    const { data } = await api<{ data: MyEventRow[] }>("GET", "/api/v1/me/events?limit=100");
    const newLink = h("p", {}, h("a", { class: "button", href: withLang("/ilmoita", lang) }, t.newEvent));
    if (data.length === 0) {
      app.replaceChildren(newLink, h("p", { class: "empty" }, t.noEvents));
      return;
    }
    app.replaceChildren(
      newLink,
      h(
        "ul",
        { class: "my-events", "aria-label": t.myEventsTitle },
        ...data.map((e) =>
          h(
            "li",
            { class: `my-event my-event--${e.state}` },
            h(
              "h2",
              { class: "my-event__title" },
              h("a", { href: withLang(`/omat/tapahtumat/${e.id}`, lang) }, pickTitle(e.title, lang)),
            ),
            h(
              "dl",
              { class: "my-event__facts" },
              h("div", {}, h("dt", {}, t.stateLabel), h("dd", {}, stateBadge(e.state, e.event_status, t))),
              h(
                "div",
                {},
                h("dt", {}, t.startLabel),
                h("dd", {}, h("time", { datetime: e.start }, startText(e.start, lang))),
              ),
              e.organisation?.name
                ? h("div", {}, h("dt", {}, t.organisationColumn), h("dd", {}, e.organisation.name))
                : null,
            ),
            e.pending_revision ? h("p", { class: "hint" }, t.pendingRevision) : null,
            e.moderator_comment ? commentBlock(e.moderator_comment, lang, t) : null,
          ),
        ),
      ),
    );
  } catch (err) {
    app.replaceChildren(h("p", { class: "notice notice--error", role: "alert" }, problemText(err, t)));
  }
}

// ---------------------------------------------------------------- editing (both kinds of owner)

interface EditOptions {
  lang: Lang;
  t: T;
  refs: Refs;
  initial: EventInput;
  version: number;
  /** PATCH path. */
  path: string;
  headers?: Record<string, string>;
  onSaved(result: {
    version: number;
    pending_revision?: boolean;
    warnings?: { duplicates: Duplicate[] };
  }): void;
  onCancel(): void;
  /** Reloads the event from the server (after a conflict). */
  onReload(): void;
}

function editor(where: HTMLElement, o: EditOptions): void {
  const { t, lang } = o;
  const save = h("button", { type: "submit", class: "button", id: "save-button" }, t.saveChanges);
  const cancel = h("button", { type: "button", class: "button button--secondary" }, t.cancelEdit);
  const ef = buildEventForm({
    lang,
    t,
    places: o.refs.places,
    categories: o.refs.categories,
    initial: o.initial,
    actions: [save, cancel],
  });
  cancel.addEventListener("click", () => o.onCancel());
  ef.form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const { input, errors } = ef.collect();
    if (errors.length > 0) {
      showErrors(ef.form, errors, { summaryHeading: t.errorSummary });
      ef.markTabs();
      return;
    }
    clearErrors(ef.form);
    save.disabled = true;
    try {
      const r = await api<{
        version: number;
        pending_revision?: boolean;
        warnings?: { duplicates: Duplicate[] };
      }>("PATCH", o.path, { ...input, version: o.version }, o.headers);
      o.onSaved(r);
    } catch (err) {
      save.disabled = false;
      if (isConflict(err)) {
        const reload = h("button", { type: "button", class: "button", id: "reload-button" }, t.reload);
        reload.addEventListener("click", () => o.onReload());
        ef.form.querySelector(".conflict")?.remove();
        const box = h(
          "div",
          { class: "notice notice--error conflict", role: "alert", tabindex: "-1" },
          h("p", {}, t.conflict),
          h("p", {}, reload),
        );
        ef.form.insertBefore(box, ef.form.firstChild);
        box.focus();
      } else if (!showApiErrors(ef, err, t)) {
        message(ef.form, problemText(err, t), "error");
      }
    }
  });
  where.replaceChildren(ef.form);
  ef.form.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus();
}

// ---------------------------------------------------------------- /omat/tapahtumat/:id

const ACTIONS = ["submit", "withdraw", "postpone", "cancel", "delete"] as const;

/**
 * A place created with the event is not in the public list until the event is published:
 * add it from the event itself, so that the preview and the edit form show it.
 */
function withOwnPlace(refs: Refs, e: MyEvent, lang: Lang): Refs {
  const own = e.place;
  if (!own || refs.places.some((p) => p.id === own.id)) return refs;
  const option = {
    id: own.id,
    name: { text: pickTitle(own.name, lang) },
    street_address: own.street_address,
    postal_code: own.postal_code,
    locality: own.locality,
    village: null,
    accessibility: [],
  };
  return { ...refs, places: [option, ...refs.places] };
}

export async function myEventPage(lang: Lang, t: T): Promise<void> {
  const app = byId("app");
  const id = appPathname().split("/").filter(Boolean)[2] ?? "";
  app.replaceChildren(loadingEl(t));
  let refs: Refs;
  try {
    const [me, r] = await Promise.all([currentUser(), loadRefs(lang)]);
    renderUserNav(lang);
    if (!me) {
      app.replaceChildren(loginNotice(lang, t, location.pathname));
      return;
    }
    refs = r;
  } catch (err) {
    app.replaceChildren(h("p", { class: "notice notice--error", role: "alert" }, problemText(err, t)));
    return;
  }

  const back = h("p", { class: "back" }, h("a", { href: withLang("/omat", lang) }, `← ${t.backToMyEvents}`));

  async function load(flash?: { text: string; kind?: "ok" | "error" }): Promise<void> {
    let e: MyEvent;
    try {
      e = await api<MyEvent>("GET", `/api/v1/me/events/${encodeURIComponent(id)}`);
    } catch (err) {
      app.replaceChildren(
        back,
        h("p", { class: "notice notice--error", role: "alert" }, problemText(err, t)),
      );
      return;
    }
    render(e);
    if (flash) message(app, flash.text, flash.kind);
  }

  function render(e: MyEvent): void {
    const eventRefs = withOwnPlace(refs, e, lang);
    const title = pickTitle(e.event.title, lang);
    document.title = `${title} – ${t.siteName}`;
    const comment = [...e.decisions].reverse().find((d) => d.reason);
    const actions = h("div", { class: "form-actions", id: "event-actions" });
    const editBtn = e.allowed_actions.includes("edit")
      ? h("button", { type: "button", class: "button", id: "act-edit" }, t.actEdit)
      : null;
    if (editBtn) actions.appendChild(editBtn);
    const labels: Record<(typeof ACTIONS)[number], string> = {
      submit: t.actSubmit,
      withdraw: t.actWithdraw,
      postpone: t.actPostpone,
      cancel: t.actCancel,
      delete: t.actDelete,
    };
    for (const a of ACTIONS) {
      if (!e.allowed_actions.includes(a)) continue;
      const btn = h(
        "button",
        {
          type: "button",
          class: `button button--secondary${a === "delete" || a === "cancel" ? " button--danger" : ""}`,
          id: `act-${a}`,
        },
        labels[a],
      );
      btn.addEventListener("click", () => void act(e, a));
      actions.appendChild(btn);
    }
    const body = h("div", { id: "event-body" });
    const view = () =>
      body.replaceChildren(
        h("h2", { class: "visually-hidden" }, t.previewHeading),
        h(
          "div",
          { class: "event-preview__frame" },
          renderPreview(e.event, { lang, t, ...eventRefs, level: 3 }),
        ),
      );
    view();
    editBtn?.addEventListener("click", () => {
      actions.hidden = true;
      editor(body, {
        lang,
        t,
        refs: eventRefs,
        initial: e.pending_revision?.proposed ?? e.event,
        version: e.version,
        path: `/api/v1/events/${encodeURIComponent(e.id)}`,
        onSaved: (r) => void load({ text: r.pending_revision ? t.doneRevision : t.doneSave }),
        onCancel: () => {
          actions.hidden = false;
          view();
          editBtn.focus();
        },
        onReload: () => void load(),
      });
    });
    const parts: (Node | null)[] = [
      back,
      h("h2", { class: "my-event__heading", id: "event-heading", tabindex: "-1" }, title),
      h(
        "dl",
        { class: "my-event__facts" },
        h(
          "div",
          {},
          h("dt", {}, t.stateLabel),
          h("dd", { id: "event-state" }, stateBadge(e.state, e.event_status, t)),
        ),
        h(
          "div",
          {},
          h("dt", {}, t.timeLabel),
          h(
            "dd",
            {},
            formatEventTime(
              { start: e.event.start, end: e.event.end, all_day: e.event.start.length === 10 },
              lang,
              t,
            ),
          ),
        ),
      ),
      e.state === "published" && e.event_status !== "cancelled"
        ? h("p", {}, h("a", { href: withLang(`/tapahtumat/${e.id}`, lang) }, t.viewPublic))
        : null,
      e.pending_revision ? h("p", { class: "notice" }, t.pendingRevision) : null,
      comment?.reason
        ? commentBlock({ action: comment.action, text: comment.reason, at: comment.created_at }, lang, t)
        : null,
      h(
        "section",
        { "aria-labelledby": "actions-h" },
        h("h2", { id: "actions-h", class: "visually-hidden" }, t.actionsHeading),
        actions,
      ),
      body,
      e.decisions.length
        ? h(
            "section",
            { "aria-labelledby": "history-h", class: "history" },
            h("h2", { id: "history-h" }, t.decisionsHeading),
            h(
              "ul",
              { class: "plain-list history__list" },
              ...e.decisions.map((d) =>
                h(
                  "li",
                  {},
                  h("time", { datetime: d.created_at }, dateTime(d.created_at, lang)),
                  ` – ${t.decisionActions[d.action] ?? d.action} (${t.by[whoDid(d)] ?? d.by})`,
                  d.reason ? h("span", { class: "history__reason" }, `: ”${d.reason}”`) : null,
                ),
              ),
            ),
          )
        : null,
    ];
    app.replaceChildren(...parts.filter((x): x is Node => x !== null));
  }

  async function act(e: MyEvent, a: (typeof ACTIONS)[number]): Promise<void> {
    if (a === "cancel" || a === "postpone" || a === "delete") {
      const texts = {
        cancel: [t.confirmCancelTitle, t.confirmCancelText],
        postpone: [t.confirmPostponeTitle, t.confirmPostponeText],
        delete: [t.confirmDeleteTitle, t.confirmDeleteText],
      }[a];
      const reason = await confirmDialog(t, { title: texts[0]!, text: texts[1]!, reason: a !== "delete" });
      if (reason === null) return;
      try {
        if (a === "delete") {
          await api("DELETE", `/api/v1/events/${e.id}`, { version: e.version });
          app.replaceChildren(back);
          message(app, t.doneDelete);
          return;
        }
        await api("POST", `/api/v1/events/${e.id}/${a}`, {
          version: e.version,
          ...(reason ? { reason } : {}),
        });
        await load({ text: a === "cancel" ? t.doneCancel : t.donePostpone });
      } catch (err) {
        await actionFailed(err);
      }
      return;
    }
    try {
      await api("POST", `/api/v1/events/${e.id}/${a}`, { version: e.version });
      await load({ text: a === "submit" ? t.doneSubmit : t.doneWithdraw });
    } catch (err) {
      await actionFailed(err);
    }
  }

  async function actionFailed(err: unknown): Promise<void> {
    if (isConflict(err)) {
      await load({ text: t.conflict, kind: "error" });
      return;
    }
    message(app, problemText(err, t), "error");
  }

  await load();
}

// ---------------------------------------------------------------- /ilmoita/omat

interface Submission {
  id: string;
  version: number;
  state: string;
  event_status: string;
  title: Texts;
  duplicates: Duplicate[];
}

export async function submissionsPage(lang: Lang, t: T): Promise<void> {
  const app = byId("app");
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get("token");
  if (fromUrl) {
    rememberSubmitterToken(fromUrl);
    url.searchParams.delete("token");
    history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
  }
  const token = fromUrl ?? submitterToken();
  const headers = token ? { "X-Submitter-Token": token } : undefined;

  const accessForm = (): HTMLElement => {
    const email = h("input", {
      id: "access-email",
      type: "email",
      name: "email",
      autocomplete: "email",
      "data-field": "email",
    });
    const form = h(
      "form",
      { class: "access-form", novalidate: "" },
      h("p", {}, t.accessIntro),
      h("div", { class: "field field--wide" }, h("label", { for: email.id }, t.accessEmailLabel), email),
      h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t.accessButton)),
    );
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.value.trim())) {
        showErrors(form, [{ path: "email", message: t.errEmail }], { summaryHeading: t.errorSummary });
        return;
      }
      clearErrors(form);
      try {
        await api("POST", "/api/v1/submissions/access", { email: email.value.trim() });
        message(form, t.accessSent);
      } catch (err) {
        message(form, problemText(err, t), "error");
      }
    });
    return form;
  };

  if (!headers) {
    app.replaceChildren(accessForm());
    return;
  }
  app.replaceChildren(loadingEl(t));
  let refs: Refs | null = null;

  async function list(flash?: string): Promise<void> {
    let data: Submission[];
    try {
      data = (await api<{ data: Submission[] }>("GET", "/api/v1/submissions/mine", undefined, headers)).data;
    } catch (err) {
      if (err instanceof Problem && err.status === 401) {
        app.replaceChildren(
          h("p", { class: "notice notice--error", role: "alert" }, t.linkExpired),
          accessForm(),
        );
      } else {
        app.replaceChildren(h("p", { class: "notice notice--error", role: "alert" }, problemText(err, t)));
      }
      return;
    }
    if (data.length === 0) {
      app.replaceChildren(h("p", { class: "empty" }, t.noSubmissions));
    } else {
      app.replaceChildren(
        h(
          "ul",
          { class: "my-events" },
          ...data.map((s) => {
            const edit = h("button", { type: "button", class: "button button--secondary" }, t.editButton);
            const cancel = h(
              "button",
              { type: "button", class: "button button--secondary button--danger" },
              t.cancelSubmission,
            );
            const title = pickTitle(s.title, lang);
            edit.setAttribute("aria-label", `${t.editButton}: ${title}`);
            cancel.setAttribute("aria-label", `${t.cancelSubmission}: ${title}`);
            const slot = h("div", {});
            edit.addEventListener("click", () => void openEditor(s, slot, edit));
            cancel.addEventListener("click", () => void cancelOne(s));
            const canEdit = s.state !== "rejected" && s.event_status !== "cancelled";
            return h(
              "li",
              { class: `my-event my-event--${s.state}` },
              h("h2", { class: "my-event__title" }, title),
              h(
                "dl",
                { class: "my-event__facts" },
                h("div", {}, h("dt", {}, t.stateLabel), h("dd", {}, stateBadge(s.state, s.event_status, t))),
              ),
              s.duplicates.length ? duplicateNotice(s.duplicates, lang, t) : null,
              canEdit ? h("div", { class: "form-actions" }, edit, cancel) : null,
              slot,
            );
          }),
        ),
      );
    }
    if (flash) message(app, flash);
  }

  async function openEditor(s: Submission, slot: HTMLElement, opener: HTMLButtonElement): Promise<void> {
    try {
      refs ??= await loadRefs(lang);
      const e = await api<MyEvent>("GET", `/api/v1/me/events/${s.id}`, undefined, headers);
      opener.hidden = true;
      editor(slot, {
        lang,
        t,
        refs: withOwnPlace(refs, e, lang),
        initial: e.pending_revision?.proposed ?? e.event,
        version: e.version,
        path: `/api/v1/submissions/${s.id}`,
        headers,
        onSaved: (r) => void list(r.pending_revision ? t.doneRevision : t.doneSave),
        onCancel: () => {
          slot.replaceChildren();
          opener.hidden = false;
          opener.focus();
        },
        onReload: () => void list(),
      });
    } catch (err) {
      message(app, problemText(err, t), "error");
    }
  }

  async function cancelOne(s: Submission): Promise<void> {
    const ok = await confirmDialog(t, {
      title: t.confirmCancelTitle,
      text: s.state === "published" ? t.confirmCancelText : t.confirmDeleteText,
    });
    if (ok === null) return;
    try {
      await api("POST", `/api/v1/submissions/${s.id}/cancel`, { version: s.version }, headers);
      await list(t.submissionCancelled);
    } catch (err) {
      message(app, problemText(err, t), "error");
    }
  }

  await list();
}
