/**
 * /ilmoita — submit an event. Signed in: pick the organisation, save a draft or send to
 * moderation (create, then submit; a possible duplicate is shown before sending). Without
 * an account: name and email (and a honeypot), then "check your email". A preview that
 * looks like the public event page comes before sending.
 */
import type { Lang } from "../../../src/contract/i18n/resident.ts";
import { api, currentUser, type Me } from "../lib/api-client.ts";
import { renderUserNav, withLang } from "../lib/common.ts";
import { byId, h } from "../lib/dom.ts";
import { clearErrors, showErrors } from "../lib/forms.ts";
import {
  type Duplicate,
  duplicateNotice,
  loadingEl,
  loadRefs,
  message,
  problemText,
  type Refs,
  showApiErrors,
} from "./common.ts";
import { buildEventForm, type EventForm, type EventInput, type T } from "./event-form.ts";
import { renderPreview } from "./event-preview.ts";

interface Created {
  id: string;
  version: number;
  state: string;
  warnings: { duplicates: Duplicate[] };
}

export async function submitPage(lang: Lang, t: T): Promise<void> {
  const app = byId("app");
  app.replaceChildren(loadingEl(t));
  let me: Me | null;
  let refs: Refs;
  try {
    [me, refs] = await Promise.all([currentUser(), loadRefs(lang)]);
    renderUserNav(lang);
  } catch (err) {
    app.replaceChildren(h("p", { class: "notice notice--error", role: "alert" }, problemText(err, t)));
    return;
  }
  const heading = document.querySelector("h1");

  // ---------- who submits ----------
  let orgSelect: HTMLSelectElement | null = null;
  let nameInput: HTMLInputElement | null = null;
  let emailInput: HTMLInputElement | null = null;
  let honeypot: HTMLInputElement | null = null;
  const before: Node[] = [];
  if (me) {
    orgSelect = h("select", { id: "organisation", name: "organisation_id", "data-field": "organisation_id" });
    for (const m of me.memberships)
      orgSelect.appendChild(h("option", { value: m.organisation.id }, m.organisation.name));
    orgSelect.appendChild(h("option", { value: "" }, t.privateOrganiser));
    before.push(
      h(
        "section",
        { class: "form-section", "aria-labelledby": "who-h" },
        h("h2", { id: "who-h" }, t.organiserSection),
        h("p", {}, t.signedInAs(me.user.display_name || me.user.email)),
        h(
          "div",
          { class: "field field--wide" },
          h("label", { for: orgSelect.id }, t.organisationLabel),
          orgSelect,
        ),
      ),
    );
  } else {
    nameInput = h("input", {
      id: "submitter-name",
      name: "submitter_name",
      "data-field": "submitter.name",
      type: "text",
      autocomplete: "name",
      "aria-required": "true",
    });
    emailInput = h("input", {
      id: "submitter-email",
      name: "submitter_email",
      "data-field": "submitter.email",
      type: "email",
      autocomplete: "email",
      "aria-required": "true",
      "aria-describedby": "submitter-email-hint",
    });
    // Honeypot: off-screen, hidden from assistive tech, out of the tab order; bots fill it in.
    honeypot = h("input", {
      id: "website",
      name: "website",
      type: "text",
      tabindex: "-1",
      autocomplete: "off",
    });
    const req = () => h("span", { class: "req" }, ` (${t.required})`);
    before.push(
      h(
        "section",
        { class: "form-section", "aria-labelledby": "who-h" },
        h("h2", { id: "who-h" }, t.organiserSection),
        h("p", {}, t.anonymousIntro),
        h(
          "p",
          {},
          `${t.loginHint} `,
          h("a", { href: withLang(`/kirjaudu?next=${encodeURIComponent("/ilmoita")}`, lang) }, t.loginLink),
        ),
        h(
          "div",
          { class: "field field--wide" },
          h("label", { for: nameInput.id }, t.submitterName, req()),
          nameInput,
        ),
        h(
          "div",
          { class: "field field--wide" },
          h("label", { for: emailInput.id }, t.submitterEmail, req()),
          h("p", { class: "hint", id: "submitter-email-hint" }, t.submitterEmailHint),
          emailInput,
        ),
        h(
          "div",
          { class: "hp", "aria-hidden": "true" },
          h("label", { for: honeypot.id }, t.honeypotLabel),
          honeypot,
        ),
      ),
    );
  }

  const previewBtn = h("button", { type: "submit", class: "button", id: "preview-button" }, t.previewButton);
  const draftBtn = me
    ? h("button", { type: "button", class: "button button--secondary", id: "draft-button" }, t.saveDraft)
    : null;
  const ef: EventForm = buildEventForm({
    lang,
    t,
    places: refs.places,
    categories: refs.categories,
    before,
    actions: [previewBtn, draftBtn].filter((x): x is HTMLButtonElement => Boolean(x)),
  });
  const intro = h("p", { class: "intro", id: ef.form.getAttribute("aria-describedby") ?? "" }, t.submitIntro);
  const previewRegion = h("section", {
    class: "event-preview",
    id: "preview",
    hidden: "",
    "aria-labelledby": "preview-h",
  });
  const result = h("div", { id: "result" });
  app.replaceChildren(intro, ef.form, previewRegion, result);

  // A created draft (signed in): later sends edit it instead of creating another.
  let draft: { id: string; version: number } | null = null;
  let duplicatesSeen = false;
  let current: EventInput | null = null;

  const submitterErrors = (): { path: string; message: string }[] => {
    if (me || !nameInput || !emailInput) return [];
    const errs = [];
    if (!nameInput.value.trim()) errs.push({ path: "submitter.name", message: t.errRequired });
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(emailInput.value.trim()))
      errs.push({ path: "submitter.email", message: t.errEmail });
    return errs;
  };

  const validate = (): EventInput | null => {
    const { input, errors } = ef.collect();
    const all = [...submitterErrors(), ...errors];
    if (all.length > 0) {
      showErrors(ef.form, all, { summaryHeading: t.errorSummary });
      ef.markTabs();
      return null;
    }
    clearErrors(ef.form);
    ef.markTabs();
    return input;
  };

  const backToForm = (focus = true) => {
    previewRegion.hidden = true;
    previewRegion.replaceChildren();
    ef.form.hidden = false;
    intro.hidden = false;
    if (focus) previewBtn.focus();
  };

  const orgName = () => {
    if (!me || !orgSelect) return null;
    return me.memberships.find((m) => m.organisation.id === orgSelect?.value)?.organisation.name ?? null;
  };

  const showPreview = (input: EventInput) => {
    current = input;
    const edit = h(
      "button",
      { type: "button", class: "button button--secondary", id: "edit-button" },
      t.editButton,
    );
    const send = h("button", { type: "button", class: "button", id: "send-button" }, t.sendButton);
    edit.addEventListener("click", () => backToForm());
    send.addEventListener("click", () => void doSend(send));
    const h2 = h("h2", { id: "preview-h", tabindex: "-1" }, t.previewHeading);
    previewRegion.replaceChildren(
      h2,
      h("p", {}, t.previewIntro),
      h(
        "div",
        { class: "event-preview__frame" },
        renderPreview(input, { lang, t, ...refs, organisation: orgName() }),
      ),
      h("div", { class: "form-actions", id: "preview-actions" }, send, edit),
    );
    ef.form.hidden = true;
    intro.hidden = true;
    previewRegion.hidden = false;
    h2.focus();
  };

  const fail = (err: unknown) => {
    backToForm(false);
    if (!showApiErrors(ef, err, t)) message(ef.form, problemText(err, t), "error");
  };

  /** Creates the draft, or saves the form into the draft created earlier. */
  const saveDraft = async (input: EventInput): Promise<Created> => {
    if (draft) {
      const r = await api<Created>("PATCH", `/api/v1/events/${draft.id}`, {
        ...input,
        version: draft.version,
      });
      draft = { id: r.id, version: r.version };
      return r;
    }
    const r = await api<Created>("POST", "/api/v1/events", {
      ...input,
      organisation_id: orgSelect?.value || null,
    });
    draft = { id: r.id, version: r.version };
    return r;
  };

  const busy = (btn: HTMLButtonElement, on: boolean, label: string) => {
    btn.disabled = on;
    btn.setAttribute("aria-disabled", String(on));
    btn.textContent = on ? t.sending : label;
  };

  async function doSend(btn: HTMLButtonElement): Promise<void> {
    if (!current) return;
    const label = btn.textContent ?? t.sendButton;
    busy(btn, true, label);
    try {
      if (!me) {
        await api("POST", "/api/v1/submissions", {
          submitter: { name: nameInput!.value.trim(), email: emailInput!.value.trim() },
          event: current,
          locale: lang,
          website: honeypot!.value,
        });
        return done(t.checkEmailHeading, t.checkEmailText(emailInput!.value.trim()), null);
      }
      const created = await saveDraft(current);
      const dups = created.warnings?.duplicates ?? [];
      if (dups.length > 0 && !duplicatesSeen) {
        duplicatesSeen = true;
        busy(btn, false, label);
        const notice = duplicateNotice(dups, lang, t);
        previewRegion.querySelector(".notice--warning")?.remove();
        const anyway = h("button", { type: "button", class: "button", id: "send-anyway" }, t.sendAnyway);
        anyway.addEventListener("click", () => void doSend(anyway));
        byId("preview-actions").replaceChildren(anyway, previewRegion.querySelector("#edit-button") ?? "");
        previewRegion.insertBefore(notice, previewRegion.children[1] ?? null);
        notice.focus();
        return;
      }
      const sent = await api<Created>("POST", `/api/v1/events/${created.id}/submit`, {
        version: created.version,
      });
      done(
        sent.state === "published" ? t.publishedHeading : t.sentHeading,
        sent.state === "published" ? "" : t.sentText,
        sent.id,
      );
    } catch (err) {
      busy(btn, false, label);
      fail(err);
    }
  }

  function done(title: string, text: string, eventId: string | null): void {
    const h2 = h("h2", { tabindex: "-1", id: "done-h" }, title);
    const again = h("a", { href: withLang("/ilmoita", lang) }, t.submitAnother);
    result.replaceChildren(
      h(
        "div",
        { class: "notice notice--ok done", role: "status" },
        h2,
        text ? h("p", {}, text) : null,
        h(
          "ul",
          { class: "plain-list" },
          eventId
            ? h("li", {}, h("a", { href: withLang(`/omat/tapahtumat/${eventId}`, lang) }, t.openMyEvent))
            : null,
          h("li", {}, again),
        ),
      ),
    );
    ef.form.remove();
    previewRegion.remove();
    intro.hidden = true;
    if (heading) heading.scrollIntoView();
    h2.focus();
  }

  ef.form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const input = validate();
    if (input) showPreview(input);
  });
  draftBtn?.addEventListener("click", async () => {
    const input = validate();
    if (!input) return;
    busy(draftBtn, true, t.saveDraft);
    try {
      const r = await saveDraft(input);
      done(t.draftSaved, "", r.id);
    } catch (err) {
      busy(draftBtn, false, t.saveDraft);
      if (!showApiErrors(ef, err, t)) message(ef.form, problemText(err, t), "error");
    }
  });
}
