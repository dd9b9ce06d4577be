/**
 * /moderointi/organisaatiot — organisations with member and event counts and the trusted
 * flag; moderators mark an organisation trusted (its events then skip the queue, which the
 * page explains) or remove the mark, after a confirmation. The result is announced. Above the
 * list: pending public profile changes of untrusted organisations, each as a field diff
 * against the public version, to approve or reject (with a reason for the organisation).
 */
import { api } from "../lib/api-client.ts";
import { h } from "../lib/dom.ts";
import { announce } from "../lib/forms.ts";
import { SITE_DEFAULT_LANG, sitePath } from "../lib/site.ts";
import {
  confirmDialog,
  formatInstant,
  loadingBox,
  type ModPage,
  problemMessage,
  requireModeratorUser,
  showLoadError,
} from "./common.ts";

interface Organisation {
  id: string;
  slug: string;
  name: string;
  kind: string;
  trusted: boolean;
  members: number;
  published_events: number;
  pending_events: number;
  profile_submitted_at: string | null;
  profile_changes: { field: string; before: unknown; after: unknown }[] | null;
}

const shown = (v: unknown, t: ModPage["t"]) =>
  v === null || v === undefined || v === "" ? t.emptyValue : typeof v === "string" ? v : JSON.stringify(v);

/** "description.sv" → "Kuvaus (sv)". */
function profileFieldLabel(field: string, t: ModPage["t"]): string {
  const [head, lang] = field.split(".");
  const name = t.profileFieldNames[head ?? field] ?? field;
  return lang ? `${name} (${lang})` : name;
}

/** One organisation's pending profile change: the diff, approve, or reject with a reason. */
function profileCard(p: ModPage, o: Organisation, results: HTMLElement, onDone: () => void): HTMLElement {
  const { t, lang } = p;
  const reasonId = `profile-reason-${o.id}`;
  const reason = h("textarea", { id: reasonId, name: "reason", rows: "2", maxlength: "2000" });
  const approve = h("button", { type: "button", class: "button", id: `profile-approve-${o.id}` });
  approve.textContent = t.approveProfile;
  approve.setAttribute("aria-label", `${t.approveProfile}: ${o.name}`);
  const reject = h("button", {
    type: "button",
    class: "button button--secondary",
    id: `profile-reject-${o.id}`,
  });
  reject.textContent = t.rejectProfile;
  reject.setAttribute("aria-label", `${t.rejectProfile}: ${o.name}`);
  const error = h("p", { class: "field-error", id: `${reasonId}-error` });
  error.hidden = true;
  const decide = async (decision: "approve" | "reject") => {
    const text = reason.value.trim();
    if (decision === "reject" && !text) {
      error.textContent = t.reasonRequired;
      error.hidden = false;
      reason.setAttribute("aria-invalid", "true");
      reason.setAttribute("aria-describedby", error.id);
      reason.focus();
      return;
    }
    error.hidden = true;
    reason.removeAttribute("aria-invalid");
    for (const b of [approve, reject]) b.setAttribute("aria-disabled", "true");
    try {
      await api("POST", `/api/v1/moderation/organisations/${o.id}/profile/${decision}`, {
        submitted_at: o.profile_submitted_at,
        ...(decision === "reject" ? { reason: text } : {}),
      });
      announce(results, decision === "approve" ? t.profileApproved(o.name) : t.profileRejected(o.name), "ok");
      onDone();
    } catch (err) {
      announce(results, problemMessage(err, t), "error");
      for (const b of [approve, reject]) b.removeAttribute("aria-disabled");
    }
  };
  approve.addEventListener("click", () => void decide("approve"));
  reject.addEventListener("click", () => void decide("reject"));
  const headingId = `profile-h-${o.id}`;
  return h(
    "article",
    { class: "mod-section profile-review", "aria-labelledby": headingId, "data-id": o.id },
    h("h3", { id: headingId }, o.name),
    o.profile_submitted_at
      ? h("p", { class: "mod-meta" }, t.profileSubmitted(formatInstant(o.profile_submitted_at, lang, t)))
      : null,
    h(
      "table",
      { class: "diff" },
      h("caption", { class: "visually-hidden" }, `${t.diffCaption}: ${o.name}`),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, t.colField),
          h("th", { scope: "col" }, t.colBefore),
          h("th", { scope: "col" }, t.colAfter),
        ),
      ),
      h(
        "tbody",
        {},
        ...(o.profile_changes ?? []).map((c) =>
          h(
            "tr",
            { class: "diff__row diff__row--changed" },
            h("th", { scope: "row", "data-label": t.colField }, profileFieldLabel(c.field, t)),
            h("td", { "data-label": t.colBefore, class: "diff__before" }, shown(c.before, t)),
            h("td", { "data-label": t.colAfter, class: "diff__after" }, shown(c.after, t)),
          ),
        ),
      ),
    ),
    h("div", { class: "field" }, h("label", { for: reasonId }, t.profileReasonLabel), reason, error),
    h("div", { class: "mod-dialog__actions" }, approve, reject),
  );
}

export async function organisationsPage(p: ModPage): Promise<void> {
  if (!(await requireModeratorUser(p))) return;
  const { t, lang, app } = p;
  const params = new URLSearchParams(location.search);
  const q = (params.get("q") ?? "").trim().slice(0, 200);
  const trusted =
    params.get("trusted") === "true" || params.get("trusted") === "false"
      ? (params.get("trusted") as string)
      : "";

  const search = h("input", { id: "org-q", name: "q", type: "search", maxlength: "200", value: q });
  const trustedSelect = h(
    "select",
    { id: "org-trusted", name: "trusted" },
    h("option", { value: "" }, t.trustedAny),
    h("option", { value: "true" }, t.trustedOnly),
    h("option", { value: "false" }, t.untrustedOnly),
  );
  trustedSelect.value = trusted;
  const results = h("div", { class: "mod-results" });
  const body = h("div", {});
  app.replaceChildren(
    h("p", { class: "intro mod-explain", id: "trust-explain" }, t.organisationsIntro),
    results,
    h(
      "form",
      {
        class: "filters mod-filters",
        method: "get",
        action: sitePath("/moderointi/organisaatiot"),
        "aria-labelledby": "org-filter-h",
      },
      h("h2", { id: "org-filter-h", class: "visually-hidden" }, t.orgFilterHeading),
      lang !== SITE_DEFAULT_LANG ? h("input", { type: "hidden", name: "lang", value: lang }) : null,
      h(
        "div",
        { class: "filters__row" },
        h("div", { class: "field field--grow" }, h("label", { for: "org-q" }, t.orgSearchLabel), search),
        h("div", { class: "field" }, h("label", { for: "org-trusted" }, t.trustedFilterLabel), trustedSelect),
        h(
          "div",
          { class: "mod-filters__submit" },
          h("button", { type: "submit", class: "button" }, t.applyFilter),
        ),
      ),
    ),
    body,
  );
  body.replaceChildren(loadingBox(t));

  // Pending profile changes (all of them, whatever the filter below says).
  const review = h(
    "section",
    { class: "mod-section", "aria-labelledby": "profile-review-h", id: "profile-review" },
    h("h2", { id: "profile-review-h" }, t.profileReviewHeading),
    h("p", {}, t.profileReviewIntro),
  );
  app.insertBefore(review, body);
  try {
    const pending = await api<{ data: Organisation[] }>(
      "GET",
      "/api/v1/moderation/organisations?pending=true&limit=100",
    );
    const cards = h("div", { class: "profile-review__list" });
    const empty = () => {
      if (!cards.querySelector("article")) cards.replaceChildren(h("p", { class: "empty" }, t.profileNone));
    };
    for (const o of pending.data) {
      const card: HTMLElement = profileCard(p, o, results, () => {
        card.remove();
        empty();
      });
      cards.appendChild(card);
    }
    empty();
    review.appendChild(cards);
  } catch (err) {
    review.appendChild(h("p", { class: "empty" }, problemMessage(err, t)));
  }

  const query = new URLSearchParams({ limit: "100" });
  if (q) query.set("q", q);
  if (trusted) query.set("trusted", trusted);
  let list: { data: Organisation[]; total: number };
  try {
    list = await api("GET", `/api/v1/moderation/organisations?${query}`);
  } catch (err) {
    showLoadError(p, err, () => void organisationsPage(p));
    return;
  }
  if (list.data.length === 0) {
    body.replaceChildren(h("p", { class: "empty" }, t.orgEmpty));
    return;
  }

  const trustCell = (o: Organisation) =>
    o.trusted
      ? h(
          "span",
          { class: "mod-badge mod-badge--trusted" },
          h("span", { "aria-hidden": "true" }, "✓ "),
          t.trustedBadge,
        )
      : h("span", { class: "mod-badge" }, t.notTrustedBadge);

  function row(o: Organisation): HTMLElement {
    const status = h("td", { "data-label": t.colTrusted }, trustCell(o));
    const button = h("button", {
      type: "button",
      class: "button button--secondary button--small",
      id: `trust-${o.id}`,
    });
    // The visible label starts the accessible name (WCAG 2.5.3); the name says which organisation.
    const label = () => {
      const text = o.trusted ? t.unmarkTrusted : t.markTrusted;
      button.textContent = text;
      button.setAttribute("aria-label", `${text}: ${o.name}`);
    };
    label();
    button.addEventListener("click", async () => {
      const next = !o.trusted;
      const ok = await confirmDialog({
        heading: next ? t.confirmTrustHeading(o.name) : t.confirmUntrustHeading(o.name),
        body: [h("p", {}, next ? t.confirmTrustText : t.confirmUntrustText)],
        confirmLabel: next ? t.markTrusted : t.unmarkTrusted,
        cancelLabel: t.cancelAction,
      });
      if (!ok) return;
      button.setAttribute("aria-disabled", "true");
      try {
        const updated = await api<{ trusted: boolean }>(
          "POST",
          `/api/v1/moderation/organisations/${o.id}/trust`,
          {
            trusted: next,
          },
        );
        o.trusted = updated.trusted;
        status.replaceChildren(trustCell(o));
        label();
        announce(results, o.trusted ? t.trustedDone(o.name) : t.untrustedDone(o.name), "ok");
      } catch (err) {
        announce(results, problemMessage(err, t), "error");
      } finally {
        button.removeAttribute("aria-disabled");
      }
    });
    return h(
      "tr",
      { "data-id": o.id },
      h("th", { scope: "row", "data-label": t.colOrganisation }, o.name),
      h("td", { "data-label": t.colKind }, t.orgKinds[o.kind] ?? o.kind),
      h("td", { "data-label": t.colMembers, class: "num" }, String(o.members)),
      h("td", { "data-label": t.colPublished, class: "num" }, String(o.published_events)),
      h("td", { "data-label": t.colPending, class: "num" }, String(o.pending_events)),
      status,
      h("td", { "data-label": t.colActions }, button),
    );
  }

  body.replaceChildren(
    h("p", { class: "events__status" }, t.orgShown(list.data.length, list.total)),
    h(
      "table",
      { class: "mod-table mod-table--reflow", id: "org-table" },
      h("caption", { class: "visually-hidden" }, t.orgCaption),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, t.colOrganisation),
          h("th", { scope: "col" }, t.colKind),
          h("th", { scope: "col", class: "num" }, t.colMembers),
          h("th", { scope: "col", class: "num" }, t.colPublished),
          h("th", { scope: "col", class: "num" }, t.colPending),
          h("th", { scope: "col" }, t.colTrusted),
          h("th", { scope: "col" }, t.colActions),
        ),
      ),
      h("tbody", {}, ...list.data.map(row)),
    ),
  );
}
