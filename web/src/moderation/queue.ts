/**
 * /moderointi — the moderation queue: counts, a filter (kind, title search), the waiting
 * events oldest first as a list (title, kind, submitter, submitted time, event time,
 * duplicate marker), and bulk approve / reject with one reason after a confirmation.
 * The bulk API is all or nothing; when it fails because some events changed meanwhile,
 * those are named, unselected, and the rest stay selected for another try.
 */
import { api, Problem } from "../lib/api-client.ts";
import { h } from "../lib/dom.ts";
import { formatEventTime } from "../lib/format.ts";
import { announce, clearErrors, showErrors } from "../lib/forms.ts";
import { SITE_DEFAULT_LANG, sitePath } from "../lib/site.ts";
import {
  confirmDialog,
  fill,
  loadingBox,
  type ModPage,
  pick,
  problemMessage,
  requireModeratorUser,
  reviewHref,
  showLoadError,
  type Texts,
  takeFlash,
  textSpan,
  timeEl,
} from "./common.ts";

export interface QueueItem {
  id: string;
  kind: "submission" | "revision";
  version: number;
  state: string;
  title: Texts;
  queued_at: string;
  organisation: { id: string; name: string | null; trusted: boolean } | null;
  created_by: { name: string; email: string | null } | null;
  submitter: { name: string; email: string | null } | null;
  event: { start: string; end: string };
  changes: { field: string }[] | null;
  duplicates: { event_id: string }[];
}

interface QueueResponse {
  data: QueueItem[];
  counts: { submissions: number; revisions: number; total: number };
}

const PAGE_SIZE = 50;

export async function queuePage(p: ModPage): Promise<void> {
  if (!(await requireModeratorUser(p))) return;
  const { t, lang, app } = p;
  const params = new URLSearchParams(location.search);
  const kind =
    params.get("kind") === "submission" || params.get("kind") === "revision" ? params.get("kind") : "";
  const q = (params.get("q") ?? "").trim().slice(0, 200);
  const pageNo = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const selected = new Map<string, QueueItem>();

  const results = h("div", { class: "mod-results" });
  const countsBox = h("div", { class: "mod-counts-box" });
  const listBox = h("div", {});

  const queueUrl = () => {
    const u = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String((pageNo - 1) * PAGE_SIZE) });
    if (kind) u.set("kind", kind);
    if (q) u.set("q", q);
    return `/api/v1/moderation/queue?${u}`;
  };

  // Filter: a plain GET form, so the filter lives in the URL.
  const kindSelect = h(
    "select",
    { id: "q-kind", name: "kind" },
    h("option", { value: "" }, t.kindAll),
    h("option", { value: "submission" }, t.kindSubmissions),
    h("option", { value: "revision" }, t.kindRevisions),
  );
  kindSelect.value = kind ?? "";
  const search = h("input", { id: "q-search", name: "q", type: "search", maxlength: "200", value: q });
  const filterForm = h(
    "form",
    {
      class: "filters mod-filters",
      method: "get",
      action: sitePath("/moderointi"),
      "aria-labelledby": "q-filter-h",
    },
    h("h2", { id: "q-filter-h", class: "visually-hidden" }, t.queueFilterHeading),
    lang !== SITE_DEFAULT_LANG ? h("input", { type: "hidden", name: "lang", value: lang }) : null,
    h(
      "div",
      { class: "filters__row" },
      h("div", { class: "field" }, h("label", { for: "q-kind" }, t.kindFilterLabel), kindSelect),
      h("div", { class: "field field--grow" }, h("label", { for: "q-search" }, t.queueSearchLabel), search),
      h(
        "div",
        { class: "mod-filters__submit" },
        h("button", { type: "submit", class: "button" }, t.applyFilter),
      ),
    ),
  );

  app.replaceChildren(
    h("p", { class: "intro" }, t.queueIntro),
    results,
    countsBox,
    filterForm,
    h(
      "section",
      { class: "mod-section", "aria-labelledby": "queue-h" },
      h("h2", { id: "queue-h" }, t.queueListHeading),
      listBox,
    ),
  );
  const flash = takeFlash();
  if (flash) {
    // The result of the decision just taken on the review page: read first, then Tab onwards.
    const notice = announce(results, flash, "ok");
    notice.tabIndex = -1;
    notice.focus();
  }

  function renderCounts(c: QueueResponse["counts"]) {
    const item = (n: number, label: string, cls = "") =>
      h(
        "li",
        { class: `mod-count ${cls}` },
        h("span", { class: "mod-count__num" }, String(n)),
        " ",
        h("span", {}, label),
      );
    countsBox.replaceChildren(
      h(
        "section",
        { "aria-labelledby": "counts-h" },
        h("h2", { id: "counts-h", class: "visually-hidden" }, t.countsHeading),
        h(
          "ul",
          { class: "mod-counts", id: "queue-counts" },
          item(c.total, t.countTotal, "mod-count--total"),
          item(c.submissions, t.countSubmissions),
          item(c.revisions, t.countRevisions),
        ),
      ),
    );
  }

  function submitterText(i: QueueItem): HTMLElement {
    if (i.organisation?.name) return h("span", {}, i.organisation.name);
    if (i.submitter) return h("span", {}, t.privateSubmitter(i.submitter.name));
    if (i.created_by) return h("span", {}, t.privateSubmitter(i.created_by.name));
    return h("span", {}, t.unknownSubmitter);
  }

  function itemEl(i: QueueItem): HTMLElement {
    const title = pick(i.title, lang)?.text ?? "";
    const checkbox = h("input", {
      type: "checkbox",
      id: `sel-${i.id}`,
      value: i.id,
      "data-version": String(i.version),
    });
    checkbox.checked = selected.has(i.id);
    checkbox.addEventListener("change", () => {
      if (checkbox.checked) selected.set(i.id, i);
      else selected.delete(i.id);
      updateCount();
    });
    const allDay = i.event.start.length === 10;
    const changes = i.kind === "revision" && i.changes ? ` · ${t.changedFields(i.changes.length)}` : "";
    return h(
      "li",
      { class: "queue-item", "data-id": i.id },
      h(
        "div",
        { class: "queue-item__select" },
        checkbox,
        h("label", { for: `sel-${i.id}` }, h("span", { class: "visually-hidden" }, t.selectEvent(title))),
      ),
      h(
        "div",
        { class: "queue-item__body" },
        h(
          "h3",
          { class: "queue-item__title" },
          h("a", { href: reviewHref(i.id, lang) }, textSpan(i.title, lang)),
        ),
        h(
          "p",
          { class: "queue-item__badges" },
          h(
            "span",
            { class: `mod-badge mod-badge--${i.kind}` },
            i.kind === "revision" ? t.kindBadgeRevision : t.kindBadgeSubmission,
            changes,
          ),
          i.duplicates.length > 0
            ? h(
                "span",
                { class: "mod-badge mod-badge--warning" },
                h("span", { "aria-hidden": "true" }, "⚠ "),
                t.duplicateMarker,
              )
            : null,
        ),
        h(
          "dl",
          { class: "queue-item__facts" },
          h("div", {}, h("dt", {}, t.byLabel), h("dd", {}, submitterText(i))),
          h("div", {}, h("dt", {}, t.submittedLabel), h("dd", {}, timeEl(i.queued_at, lang, t))),
          h(
            "div",
            {},
            h("dt", {}, t.eventTimeLabel),
            h(
              "dd",
              {},
              h(
                "time",
                { datetime: i.event.start },
                formatEventTime({ start: i.event.start, end: i.event.end, all_day: allDay }, lang, t),
              ),
            ),
          ),
        ),
      ),
    );
  }

  const countEl = h("p", { class: "bulk__count", id: "bulk-count", "aria-live": "polite" });
  const updateCount = () => {
    countEl.textContent = t.bulkSelected(selected.size);
  };

  function pager(total: number): HTMLElement | null {
    const pages = Math.ceil(total / PAGE_SIZE);
    if (pages <= 1) return null;
    const link = (n: number, label: string) => {
      const u = new URLSearchParams(location.search);
      u.set("page", String(n));
      return h("a", { class: "button button--secondary", href: sitePath(`/moderointi?${u}`) }, label);
    };
    return h(
      "nav",
      { class: "mod-pager", "aria-label": t.paginationLabel },
      pageNo > 1 ? link(pageNo - 1, t.prevPage) : null,
      pageNo < pages ? link(pageNo + 1, t.nextPage) : null,
    );
  }

  async function load(): Promise<QueueResponse | null> {
    listBox.setAttribute("aria-busy", "true");
    try {
      return await api<QueueResponse>("GET", queueUrl());
    } finally {
      listBox.setAttribute("aria-busy", "false");
    }
  }

  function render(r: QueueResponse) {
    renderCounts(r.counts);
    const filteredTotal =
      kind === "submission"
        ? r.counts.submissions
        : kind === "revision"
          ? r.counts.revisions
          : r.counts.total;
    // Drop selections that are no longer in the queue (decided elsewhere).
    const ids = new Set(r.data.map((i) => i.id));
    for (const id of [...selected.keys()]) if (!ids.has(id)) selected.delete(id);
    for (const i of r.data) if (selected.has(i.id)) selected.set(i.id, i);
    if (r.data.length === 0) {
      listBox.replaceChildren(
        h("p", { class: "empty", id: "queue-empty" }, kind || q ? t.queueEmptyFiltered : t.queueEmpty),
      );
      return;
    }
    const from = (pageNo - 1) * PAGE_SIZE + 1;
    const selectAll = h("input", { type: "checkbox", id: "select-all" });
    selectAll.addEventListener("change", () => {
      for (const cb of listBox.querySelectorAll<HTMLInputElement>(".queue-item input[type=checkbox]")) {
        cb.checked = selectAll.checked;
        cb.dispatchEvent(new Event("change"));
      }
    });
    fill(
      listBox,
      h("p", { class: "events__status" }, t.queueShown(from, from + r.data.length - 1, filteredTotal)),
      h(
        "div",
        { class: "field field--check select-all" },
        selectAll,
        h("label", { for: "select-all" }, t.selectAll),
      ),
      h("ul", { class: "queue-list", id: "queue-list" }, ...r.data.map(itemEl)),
      pager(filteredTotal),
      bulkForm,
    );
    updateCount();
  }

  // Bulk actions
  const reason = h("textarea", { id: "bulk-reason", name: "reason", rows: "3", maxlength: "2000" });
  const approveBtn = h("button", { type: "button", class: "button", id: "bulk-approve" }, t.bulkApprove);
  const rejectBtn = h(
    "button",
    { type: "button", class: "button button--danger", id: "bulk-reject" },
    t.bulkReject,
  );
  const bulkStatus = h("div", { class: "bulk__status" });
  const bulkForm = h(
    "form",
    { class: "bulk", id: "bulk-form", novalidate: "" },
    h(
      "fieldset",
      {},
      h("legend", {}, t.bulkLegend),
      countEl,
      bulkStatus,
      h("div", { class: "bulk__row" }, approveBtn),
      h(
        "div",
        { class: "field bulk__reason" },
        h("label", { for: "bulk-reason" }, t.bulkReasonLabel),
        reason,
      ),
      h("div", { class: "bulk__row" }, rejectBtn),
    ),
  );
  bulkForm.addEventListener("submit", (e) => e.preventDefault());

  async function bulk(action: "approve" | "reject") {
    clearErrors(bulkForm);
    bulkStatus.replaceChildren();
    if (selected.size === 0) {
      announce(bulkStatus, t.bulkNothingSelected, "error");
      return;
    }
    const why = reason.value.trim();
    if (action === "reject" && !why) {
      showErrors(bulkForm, [{ path: "reason", message: t.bulkReasonRequired }], {
        summaryHeading: t.errorSummary,
      });
      return;
    }
    const items = [...selected.values()];
    const titles = h("ul", {}, ...items.map((i) => h("li", {}, textSpan(i.title, lang))));
    const ok = await confirmDialog({
      heading:
        action === "approve" ? t.confirmApproveHeading(items.length) : t.confirmRejectHeading(items.length),
      body:
        action === "approve"
          ? [h("p", {}, t.confirmApproveText), titles]
          : [titles, h("p", {}, t.confirmRejectText), h("blockquote", { class: "mod-quote" }, why)],
      confirmLabel: action === "approve" ? t.bulkApprove : t.bulkReject,
      cancelLabel: t.cancelAction,
      danger: action === "reject",
    });
    if (!ok) return;
    const button = action === "approve" ? approveBtn : rejectBtn;
    button.setAttribute("aria-disabled", "true");
    try {
      await api("POST", "/api/v1/moderation/bulk", {
        action,
        items: items.map((i) => ({ id: i.id, version: i.version })),
        ...(action === "reject" ? { reason: why } : {}),
      });
      selected.clear();
      reason.value = "";
      const r = await load();
      if (r) render(r);
      announce(
        results,
        action === "approve" ? t.bulkApproved(items.length) : t.bulkRejected(items.length),
        "ok",
      );
      // Keep the result in view for sighted users as well.
      results.scrollIntoView({ block: "nearest" });
    } catch (err) {
      await bulkFailure(err, items);
    } finally {
      button.removeAttribute("aria-disabled");
    }
  }

  async function bulkFailure(err: unknown, items: QueueItem[]) {
    if (err instanceof Problem && err.status === 409) {
      let fresh: QueueResponse | null = null;
      try {
        fresh = await load();
      } catch {
        fresh = null;
      }
      if (fresh) {
        const current = new Map(fresh.data.map((i) => [i.id, i.version]));
        const stale = items.filter((i) => current.get(i.id) !== i.version);
        for (const s of stale) selected.delete(s.id);
        render(fresh);
        const box = h(
          "div",
          { class: "notice notice--error", role: "alert", id: "bulk-failure" },
          h("p", {}, t.bulkFailedIntro),
          h("ul", {}, ...stale.map((s) => h("li", {}, textSpan(s.title, lang)))),
          h("p", {}, t.bulkFailedRest),
        );
        bulkStatus.replaceChildren(box);
        return;
      }
    }
    bulkStatus.replaceChildren(
      h(
        "div",
        { class: "notice notice--error", role: "alert" },
        h("p", {}, t.bulkFailed),
        h("p", {}, problemMessage(err, t)),
      ),
    );
  }

  approveBtn.addEventListener("click", () => void bulk("approve"));
  rejectBtn.addEventListener("click", () => void bulk("reject"));

  const start = async () => {
    listBox.replaceChildren(loadingBox(t));
    try {
      const r = await load();
      if (r) render(r);
    } catch (err) {
      showLoadError(p, err, () => void queuePage(p));
    }
  };
  await start();
}
