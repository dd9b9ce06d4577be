/**
 * /moderointi/tapahtumat/:id — one event under review: its status, duplicate warnings with
 * links, for an edit of a published event the field-by-field diff (before / after, each row
 * marked Changed / Added / Removed in words), every detail as it would be published in every
 * language, the submitter's contact (moderators only), the decision forms (approve; request
 * changes with a required comment; reject with a required reason) and the history.
 * After a decision the queue opens with the result announced.
 */
import type { Lang } from "../../../src/contract/i18n/resident.ts";
import { api, Problem } from "../lib/api-client.ts";
import { withLang } from "../lib/common.ts";
import { h } from "../lib/dom.ts";
import { formatEventTime, formatShortDay, parseYmd } from "../lib/format.ts";
import { announce, clearErrors, showErrors } from "../lib/forms.ts";
import { appPathname } from "../lib/site.ts";
import {
  fill,
  loadingBox,
  type ModPage,
  pick,
  problemMessage,
  requireModeratorUser,
  reviewHref,
  safeUrl,
  setFlash,
  showLoadError,
  type T,
  type Texts,
  textSpan,
  timeEl,
} from "./common.ts";

interface EventInput {
  title: Texts;
  short_description?: Texts;
  description?: Texts;
  start: string;
  end: string;
  rrule?: string | null;
  exdates?: string[];
  rdates?: string[];
  place_id?: string | null;
  place?: {
    name: Texts;
    street_address?: string | null;
    postal_code?: string | null;
    locality?: string | null;
  } | null;
  online_url?: string | null;
  categories?: string[];
  audience?: { min_age?: number | null; max_age?: number | null };
  languages?: string[];
  is_free?: boolean;
  price?: Texts;
  ticket_url?: string | null;
  registration_url?: string | null;
  image?: { url: string; alt?: Texts; licence?: string | null; photographer?: string | null } | null;
  accessibility?: string[];
  links?: { url: string; label?: Texts }[];
}

interface LogEntry {
  id: number;
  actor: { kind: string; name: string | null };
  action: string;
  reason: string | null;
  created_at: string;
}

interface Review {
  id: string;
  version: number;
  state: string;
  event_status: string;
  kind: "submission" | "revision" | null;
  queued_at: string | null;
  published_at: string | null;
  organisation: {
    id: string;
    name: string | null;
    trusted: boolean;
    contact_email: string | null;
    contact_phone: string | null;
  } | null;
  created_by: { name: string; email: string | null } | null;
  submitter: { name: string; email: string | null; confirmed: boolean } | null;
  event: EventInput;
  revision: { proposed: EventInput; created_at: string } | null;
  changes: { field: string; before: unknown; after: unknown }[] | null;
  places: {
    id: string;
    name: Texts;
    street_address: string | null;
    postal_code: string | null;
    locality: string | null;
    /** False for a place created with this submission: approving the event publishes it. */
    approved: boolean;
  }[];
  categories: { slug: string; name: Texts }[];
  duplicates: { event_id: string; title: Texts; state: string; similarity: number }[];
  decisions: string[];
  history: LogEntry[];
}

const LANG_CODES = new Set(["fi", "sv", "en"]);

/** "title.fi" → "Otsikko (suomi)", "audience.min_age" → "Kenelle: alaikäraja". */
export function fieldLabel(path: string, t: T): string {
  const [first = path, ...rest] = path.split(".");
  let label = t.fieldNames[first] ?? first;
  for (const part of rest) {
    if (LANG_CODES.has(part)) label += ` (${t.languageNames[part] ?? part})`;
    else if (/^\d+$/.test(part)) label += ` ${Number(part) + 1}`;
    else label += `: ${t.fieldNames[part] ?? part}`;
  }
  return label;
}

const isEmpty = (v: unknown) =>
  v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

function dateOrInstant(v: string, lang: Lang, t: T): string {
  if (v.length === 10) {
    const d = parseYmd(v);
    return d ? formatShortDay(d, lang, t) : v;
  }
  return formatEventTime({ start: v, end: null, all_day: false }, lang, t);
}

function valueText(field: string, v: unknown, r: Review, lang: Lang, t: T): string {
  if (isEmpty(v)) return t.emptyValue;
  const top = field.split(".")[0];
  if (typeof v === "boolean") return v ? t.yes : t.no;
  if (top === "start" || top === "end") return dateOrInstant(String(v), lang, t);
  if (top === "place_id") {
    const place = r.places.find((p) => p.id === v);
    return place ? (pick(place.name, lang)?.text ?? String(v)) : String(v);
  }
  if (Array.isArray(v)) {
    if (top === "categories")
      return v
        .map((s) => pick(r.categories.find((c) => c.slug === s)?.name, lang)?.text ?? String(s))
        .join(", ");
    if (top === "languages") return v.map((s) => t.languageNames[String(s)] ?? String(s)).join(", ");
    if (top === "accessibility")
      return v.map((s) => t.accessibilityFeatures[String(s)] ?? String(s)).join(", ");
    if (top === "exdates" || top === "rdates")
      return v.map((s) => dateOrInstant(String(s), lang, t)).join(", ");
    if (top === "links")
      return v
        .map((l) => {
          const link = l as { url?: string; label?: Texts };
          const label = pick(link.label, lang)?.text;
          return label ? `${label} <${link.url}>` : String(link.url);
        })
        .join("\n");
    return v.map(String).join(", ");
  }
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function diffSection(r: Review, lang: Lang, t: T): HTMLElement | null {
  if (!r.changes) return null;
  // In the order of the form (title first), not alphabetically.
  const order = Object.keys(t.fieldNames);
  const rank = (field: string) => {
    const i = order.indexOf(field.split(".")[0] ?? field);
    return i < 0 ? order.length : i;
  };
  const changes = [...r.changes].sort((a, b) => rank(a.field) - rank(b.field));
  const rows = changes.map((c) => {
    const kind = isEmpty(c.before) ? "added" : isEmpty(c.after) ? "removed" : "changed";
    const word = kind === "added" ? t.changeAdded : kind === "removed" ? t.changeRemoved : t.changeChanged;
    const icon = kind === "added" ? "+" : kind === "removed" ? "−" : "≠";
    const cell = (label: string, v: unknown, cls: string) =>
      h(
        "td",
        { "data-label": label, class: cls },
        h("span", { class: isEmpty(v) ? "diff__empty" : "diff__value" }, valueText(c.field, v, r, lang, t)),
      );
    return h(
      "tr",
      { class: `diff__row diff__row--${kind}` },
      h("th", { scope: "row", "data-label": t.colField }, fieldLabel(c.field, t)),
      h(
        "td",
        { "data-label": t.colChange },
        h(
          "span",
          { class: `mod-badge diff__kind diff__kind--${kind}` },
          h("span", { "aria-hidden": "true" }, `${icon} `),
          word,
        ),
      ),
      cell(t.colBefore, c.before, "diff__before"),
      cell(t.colAfter, c.after, "diff__after"),
    );
  });
  return h(
    "section",
    { class: "mod-section", "aria-labelledby": "diff-h", id: "diff" },
    h("h2", { id: "diff-h" }, t.diffHeading),
    h("p", {}, t.diffIntro),
    h(
      "table",
      { class: "diff", id: "diff-table" },
      h("caption", { class: "visually-hidden" }, t.diffCaption),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, t.colField),
          h("th", { scope: "col" }, t.colChange),
          h("th", { scope: "col" }, t.colBefore),
          h("th", { scope: "col" }, t.colAfter),
        ),
      ),
      h("tbody", {}, ...rows),
    ),
  );
}

const fact = (label: string, ...value: (Node | string | null)[]) =>
  h("div", { class: "event-facts__row" }, h("dt", {}, label), h("dd", {}, ...value));

/** Every translation of a text, each marked with its language. */
function translations(texts: Texts, t: T, paragraphs = false): HTMLElement | null {
  const entries = (["fi", "sv", "en"] as const).filter((l) => texts?.[l]);
  if (entries.length === 0) return null;
  return h(
    "ul",
    { class: "mod-translations" },
    ...entries.map((l) =>
      h(
        "li",
        {},
        h("span", { class: "mod-translations__lang" }, `${t.languageNames[l] ?? l}: `),
        paragraphs
          ? h(
              "div",
              { lang: l, class: "mod-translations__long" },
              ...(texts?.[l] ?? "").split(/\n{2,}/).map((para) => h("p", {}, para)),
            )
          : h("span", { lang: l }, texts?.[l] ?? ""),
      ),
    ),
  );
}

function preview(r: Review, lang: Lang, t: T): HTMLElement {
  const e = r.revision?.proposed ?? r.event;
  const allDay = e.start.length === 10;
  const place = e.place_id ? r.places.find((p) => p.id === e.place_id) : null;
  const address = (p: {
    street_address?: string | null;
    postal_code?: string | null;
    locality?: string | null;
  }) =>
    [p.street_address, [p.postal_code, p.locality].filter(Boolean).join(" ")]
      .filter((x) => x?.trim())
      .join(", ");
  const online = safeUrl(e.online_url);
  const ticket = safeUrl(e.ticket_url);
  const registration = safeUrl(e.registration_url);
  const minAge = e.audience?.min_age ?? null;
  const maxAge = e.audience?.max_age ?? null;
  const link = (url: string) => h("a", { href: url, rel: "noopener noreferrer" }, url);
  const image = e.image && safeUrl(e.image.url);
  // A submitter-supplied image would load from their server in the moderator's browser
  // (a tracking pixel, a probe of who moderates and when): until it has been approved, i.e.
  // while the event is not published or a revision proposes another image, only a link.
  const imageApproved = r.state === "published" && (!r.revision || r.event.image?.url === e.image?.url);
  return h(
    "section",
    { class: "mod-section", "aria-labelledby": "preview-h" },
    h(
      "h2",
      { id: "preview-h" },
      r.kind === "revision" ? t.previewHeadingRevision : t.previewHeadingSubmission,
    ),
    h("p", { class: "intro" }, t.previewIntro),
    h(
      "article",
      { class: "event-page mod-preview", "aria-labelledby": "preview-title" },
      h("h3", { id: "preview-title", class: "mod-preview__title" }, textSpan(e.title, lang)),
      h(
        "dl",
        { class: "event-facts" },
        fact(t.textsLabel, translations(e.title, t)),
        fact(t.shortDescriptionLabel, translations(e.short_description, t) ?? t.noneGiven),
        fact(t.descriptionLabel, translations(e.description, t, true) ?? t.noneGiven),
        fact(
          t.timeLabel,
          h(
            "time",
            { datetime: e.start },
            formatEventTime({ start: e.start, end: e.end, all_day: allDay }, lang, t),
          ),
        ),
        e.rrule ? fact(t.recurrenceLabel, h("code", {}, e.rrule)) : null,
        e.exdates?.length
          ? fact(t.exdatesLabel, e.exdates.map((d) => dateOrInstant(d, lang, t)).join(", "))
          : null,
        e.rdates?.length
          ? fact(t.rdatesLabel, e.rdates.map((d) => dateOrInstant(d, lang, t)).join(", "))
          : null,
        place
          ? fact(
              place.approved === false ? t.unapprovedPlaceLabel : t.placeLabel,
              h(
                "span",
                { class: "place" },
                textSpan(place.name, lang),
                address(place) ? h("span", {}, address(place)) : null,
              ),
            )
          : null,
        e.place
          ? fact(
              t.newPlaceLabel,
              h(
                "span",
                { class: "place" },
                textSpan(e.place.name, lang),
                address(e.place) ? h("span", {}, address(e.place)) : null,
              ),
            )
          : null,
        online ? fact(t.onlineLabel, link(online)) : null,
        fact(
          t.priceLabel,
          e.is_free === false ? t.notFree : h("span", { class: "tag tag--free" }, t.free),
          translations(e.price, t),
        ),
        ticket ? fact(t.ticketsLink, link(ticket)) : null,
        registration ? fact(t.registrationLink, link(registration)) : null,
        minAge !== null || maxAge !== null ? fact(t.audienceLabel, t.ageRange(minAge, maxAge)) : null,
        e.languages?.length
          ? fact(t.languagesLabel, e.languages.map((l) => t.languageNames[l] ?? l).join(", "))
          : null,
        e.categories?.length
          ? fact(
              t.categoriesLabel,
              e.categories
                .map((s) => pick(r.categories.find((c) => c.slug === s)?.name, lang)?.text ?? s)
                .join(", "),
            )
          : null,
        e.accessibility?.length
          ? fact(
              t.accessibilityLabel,
              h(
                "ul",
                { class: "plain-list" },
                ...e.accessibility.map((a) => h("li", {}, t.accessibilityFeatures[a] ?? a)),
              ),
            )
          : null,
        image && e.image
          ? fact(
              t.imageLabel,
              h(
                "figure",
                { class: "mod-preview__figure" },
                imageApproved
                  ? h("img", {
                      src: image,
                      alt: pick(e.image.alt, lang)?.text ?? "",
                      loading: "lazy",
                      width: "320",
                      height: "180",
                      referrerpolicy: "no-referrer",
                    })
                  : h("p", { class: "mod-preview__meta mod-preview__not-loaded" }, t.imageNotLoaded),
                h(
                  "figcaption",
                  {},
                  link(image),
                  h("span", { class: "mod-preview__meta" }, `${t.imageAltLabel}:`),
                  translations(e.image.alt, t) ?? h("span", {}, t.noneGiven),
                  h(
                    "span",
                    { class: "mod-preview__meta" },
                    `${t.imageLicenceLabel}: ${e.image.licence || t.noneGiven} · ${t.photographerLabel}: ${e.image.photographer || t.noneGiven}`,
                  ),
                ),
              ),
            )
          : null,
        e.links?.length
          ? fact(
              t.linksLabel,
              h(
                "ul",
                { class: "plain-list" },
                ...e.links.map((l) => {
                  const url = safeUrl(l.url);
                  const label = pick(l.label, lang)?.text;
                  return h("li", {}, label ? `${label}: ` : "", url ? link(url) : l.url);
                }),
              ),
            )
          : null,
      ),
    ),
  );
}

function submitterSection(r: Review, t: T): HTMLElement {
  const mail = (email: string | null) => (email ? h("a", { href: `mailto:${email}` }, email) : null);
  return h(
    "section",
    { class: "mod-section mod-private", "aria-labelledby": "submitter-h" },
    h("h2", { id: "submitter-h" }, t.submitterHeading),
    h("p", { class: "note" }, t.submitterNote),
    h(
      "dl",
      { class: "event-facts" },
      r.organisation
        ? fact(
            t.organisationLabel,
            r.organisation.name ?? "",
            " ",
            h(
              "span",
              { class: `mod-badge ${r.organisation.trusted ? "mod-badge--trusted" : ""}` },
              r.organisation.trusted ? t.trustedBadge : t.notTrustedBadge,
            ),
          )
        : null,
      r.organisation?.contact_email
        ? fact(`${t.organisationLabel}: ${t.emailLabel}`, mail(r.organisation.contact_email))
        : null,
      r.organisation?.contact_phone
        ? fact(
            `${t.organisationLabel}: ${t.phoneLabel}`,
            h(
              "a",
              { href: `tel:${r.organisation.contact_phone.replace(/\s/g, "")}` },
              r.organisation.contact_phone,
            ),
          )
        : null,
      r.created_by ? fact(t.accountLabel, `${r.created_by.name} `, mail(r.created_by.email)) : null,
      r.submitter
        ? fact(
            t.privatePersonLabel,
            `${r.submitter.name} `,
            mail(r.submitter.email),
            ` (${r.submitter.confirmed ? t.emailConfirmed : t.emailUnconfirmed})`,
          )
        : null,
      !r.organisation && !r.created_by && !r.submitter ? fact(t.byLabel, t.unknownSubmitter) : null,
    ),
  );
}

function duplicatesSection(r: Review, lang: Lang, t: T): HTMLElement | null {
  if (r.duplicates.length === 0) return null;
  return h(
    "section",
    { class: "mod-section mod-warning", "aria-labelledby": "dup-h", id: "duplicates" },
    h("h2", { id: "dup-h" }, h("span", { "aria-hidden": "true" }, "⚠ "), t.duplicatesHeading),
    h("p", {}, t.duplicatesIntro),
    h(
      "ul",
      {},
      ...r.duplicates.map((d) =>
        h(
          "li",
          {},
          h("a", { href: reviewHref(d.event_id, lang) }, textSpan(d.title, lang)),
          ` (${t.stateNames[d.state] ?? d.state}; ${t.similarity(Math.round(d.similarity * 100))})`,
        ),
      ),
    ),
  );
}

function historySection(r: Review, lang: Lang, t: T): HTMLElement {
  const actor = (e: LogEntry) =>
    e.actor.kind === "user"
      ? (e.actor.name ?? t.actorDeleted)
      : e.actor.kind === "submitter"
        ? t.actorSubmitter
        : e.actor.kind === "token"
          ? t.actorToken
          : t.actorSystem;
  return h(
    "section",
    { class: "mod-section", "aria-labelledby": "history-h" },
    h("h2", { id: "history-h" }, t.historyHeading),
    r.history.length === 0
      ? h("p", {}, t.historyEmpty)
      : h(
          "ol",
          { class: "mod-history", reversed: "" },
          ...r.history.map((e) =>
            h(
              "li",
              {},
              timeEl(e.created_at, lang, t),
              ` — ${actor(e)}: `,
              h("strong", {}, t.actionNames[e.action] ?? e.action),
              e.reason ? h("blockquote", { class: "mod-quote" }, e.reason) : null,
            ),
          ),
        ),
    h("p", {}, h("a", { href: withLang(`/moderointi/loki?event=${r.id}`, lang) }, t.showInLog)),
  );
}

export async function reviewPage(p: ModPage): Promise<void> {
  if (!(await requireModeratorUser(p))) return;
  const { t, lang, app } = p;
  const id = decodeURIComponent(appPathname().split("/").filter(Boolean)[2] ?? "");
  app.replaceChildren(loadingBox(t));
  let r: Review;
  try {
    r = await api<Review>("GET", `/api/v1/moderation/events/${encodeURIComponent(id)}`);
  } catch (err) {
    showLoadError(p, err, () => void reviewPage(p));
    return;
  }
  const title = pick(r.event.title, lang)?.text ?? "";
  document.title = `${t.reviewTitle}: ${title} – ${t.siteName}`;
  const queueHref = withLang("/moderointi", lang);
  const decisionStatus = h("div", { class: "decision-status", id: "decision-status", tabindex: "-1" });

  const statusFacts = h(
    "dl",
    { class: "mod-status" },
    h(
      "div",
      {},
      h("dt", {}, t.kindLabel),
      h(
        "dd",
        {},
        r.kind
          ? h(
              "span",
              { class: `mod-badge mod-badge--${r.kind}` },
              r.kind === "revision" ? t.kindBadgeRevision : t.kindBadgeSubmission,
            )
          : "–",
      ),
    ),
    h("div", {}, h("dt", {}, t.stateLabel), h("dd", {}, t.stateNames[r.state] ?? r.state)),
    r.event_status !== "scheduled"
      ? h(
          "div",
          {},
          h("dt", {}, t.eventStatusLabel),
          h(
            "dd",
            {},
            h(
              "span",
              { class: `badge badge--${r.event_status}` },
              r.event_status === "cancelled"
                ? t.cancelled
                : r.event_status === "postponed"
                  ? t.postponed
                  : t.rescheduled,
            ),
          ),
        )
      : null,
    r.queued_at ? h("div", {}, h("dt", {}, t.queuedLabel), h("dd", {}, timeEl(r.queued_at, lang, t))) : null,
    r.published_at
      ? h("div", {}, h("dt", {}, t.publishedLabel), h("dd", {}, timeEl(r.published_at, lang, t)))
      : null,
  );

  const decisions = r.decisions.length ? decisionSection(r, p, title, decisionStatus, queueHref) : null;
  fill(
    app,
    h(
      "p",
      { class: "back mod-back" },
      h("a", { href: queueHref }, h("span", { "aria-hidden": "true" }, "← "), t.backToQueue),
      decisions ? " · " : null,
      decisions ? h("a", { href: "#decision" }, t.skipToDecision) : null,
      r.state === "published" ? " · " : null,
      r.state === "published" ? h("a", { href: withLang(`/tapahtumat/${r.id}`, lang) }, t.viewPublic) : null,
    ),
    h(
      "section",
      { class: "mod-section", "aria-labelledby": "status-h" },
      h("h2", { id: "status-h", class: "visually-hidden" }, t.statusHeading),
      h("p", { class: "mod-review-title" }, textSpan(r.event.title, lang)),
      statusFacts,
      r.decisions.length ? null : h("p", { class: "notice", id: "not-in-queue" }, t.notInQueue),
    ),
    duplicatesSection(r, lang, t),
    diffSection(r, lang, t),
    preview(r, lang, t),
    submitterSection(r, t),
    decisions,
    historySection(r, lang, t),
  );
}

function decisionSection(
  r: Review,
  p: ModPage,
  title: string,
  status: HTMLElement,
  queueHref: string,
): HTMLElement {
  const { t } = p;
  const revision = r.kind === "revision";
  const textarea = (id: string, name: string, help: string) =>
    h("textarea", { id, name, rows: "4", maxlength: "2000", "aria-describedby": help });

  const approveForm = h(
    "form",
    { class: "decision", id: "approve-form", novalidate: "" },
    h(
      "fieldset",
      {},
      h("legend", {}, t.approveLegend),
      h(
        "p",
        { id: "approve-help", class: "decision__help" },
        revision ? t.approveHelpRevision : t.approveHelpSubmission,
      ),
      h(
        "button",
        { type: "submit", class: "button", id: "approve", "aria-describedby": "approve-help" },
        revision ? t.approveRevisionButton : t.approveButton,
      ),
    ),
  );
  const comment = textarea("comment", "comment", "request-help");
  const requestForm = h(
    "form",
    { class: "decision", id: "request-form", novalidate: "" },
    h(
      "fieldset",
      {},
      h("legend", {}, t.requestLegend),
      h("p", { id: "request-help", class: "decision__help" }, t.requestHelp),
      h("div", { class: "field" }, h("label", { for: "comment" }, t.commentLabel), comment),
      h(
        "button",
        { type: "submit", class: "button button--secondary", id: "request-changes" },
        t.requestButton,
      ),
    ),
  );
  const reason = textarea("reason", "reason", "reject-help");
  const rejectForm = h(
    "form",
    { class: "decision", id: "reject-form", novalidate: "" },
    h(
      "fieldset",
      {},
      h("legend", {}, t.rejectLegend),
      h("p", { id: "reject-help", class: "decision__help" }, revision ? t.rejectHelpRevision : t.rejectHelp),
      h("div", { class: "field" }, h("label", { for: "reason" }, t.reasonLabel), reason),
      h("button", { type: "submit", class: "button button--danger", id: "reject" }, t.rejectButton),
    ),
  );

  let busy = false;
  const decide = async (
    form: HTMLFormElement,
    path: string,
    body: Record<string, unknown>,
    result: string,
  ): Promise<void> => {
    if (busy) return;
    busy = true;
    const button = form.querySelector("button") as HTMLButtonElement;
    const label = button.textContent;
    button.setAttribute("aria-disabled", "true");
    button.textContent = t.saving;
    status.replaceChildren();
    try {
      await api("POST", `/api/v1/moderation/events/${r.id}/${path}`, { version: r.version, ...body });
      setFlash(result);
      location.assign(queueHref);
    } catch (err) {
      if (err instanceof Problem && err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, { summaryHeading: t.errorSummary });
      } else {
        const notice = announce(status, problemMessage(err, t), "error");
        if (err instanceof Problem && err.status === 409) {
          const reload = h(
            "button",
            { type: "button", class: "button button--secondary", id: "reload" },
            t.reload,
          );
          reload.addEventListener("click", () => location.reload());
          notice.appendChild(h("span", { class: "decision-status__action" }, " ", reload));
        }
        status.focus();
      }
    } finally {
      busy = false;
      button.removeAttribute("aria-disabled");
      button.textContent = label;
    }
  };

  approveForm.addEventListener("submit", (e) => {
    e.preventDefault();
    void decide(
      approveForm,
      "approve",
      {},
      revision ? t.approvedRevisionResult(title) : t.approvedResult(title),
    );
  });
  requestForm.addEventListener("submit", (e) => {
    e.preventDefault();
    clearErrors(requestForm);
    const text = comment.value.trim();
    if (!text) {
      showErrors(requestForm, [{ path: "comment", message: t.commentRequired }], {
        summaryHeading: t.errorSummary,
      });
      return;
    }
    void decide(requestForm, "request-changes", { comment: text }, t.requestedResult(title));
  });
  rejectForm.addEventListener("submit", (e) => {
    e.preventDefault();
    clearErrors(rejectForm);
    const text = reason.value.trim();
    if (!text) {
      showErrors(rejectForm, [{ path: "reason", message: t.reasonRequired }], {
        summaryHeading: t.errorSummary,
      });
      return;
    }
    void decide(rejectForm, "reject", { reason: text }, t.rejectedResult(title));
  });

  return h(
    "section",
    { class: "mod-section decision-section", "aria-labelledby": "decision-h", id: "decision" },
    h("h2", { id: "decision-h" }, t.decisionHeading),
    status,
    h("div", { class: "decision-grid" }, approveForm, requestForm, rejectForm),
  );
}
