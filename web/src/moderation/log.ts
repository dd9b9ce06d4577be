/**
 * /moderointi/loki — the append-only moderation log, newest first: when, who, what, to
 * which event (or organisation), and the reason or comment. Filter by action (and by one
 * event, from a review page's link); older entries page with the API's cursor.
 */
import { api } from "../lib/api-client.ts";
import { withLang } from "../lib/common.ts";
import { h } from "../lib/dom.ts";
import { SITE_DEFAULT_LANG, sitePath } from "../lib/site.ts";
import {
  fill,
  loadingBox,
  type ModPage,
  requireModeratorUser,
  reviewHref,
  showLoadError,
  type Texts,
  textSpan,
  timeEl,
} from "./common.ts";

interface LogRow {
  id: number;
  event_id: string | null;
  event_title: Texts;
  actor: { id: string | null; kind: string; name: string | null };
  action: string;
  reason: string | null;
  after: Record<string, unknown> | null;
  created_at: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function logPage(p: ModPage): Promise<void> {
  if (!(await requireModeratorUser(p))) return;
  const { t, lang, app } = p;
  const params = new URLSearchParams(location.search);
  const action =
    params.get("action") && t.actionNames[params.get("action") as string]
      ? (params.get("action") as string)
      : "";
  const event = UUID.test(params.get("event") ?? "") ? (params.get("event") as string) : "";
  const before = /^\d{1,15}$/.test(params.get("before") ?? "") ? (params.get("before") as string) : "";

  const select = h(
    "select",
    { id: "log-action", name: "action" },
    h("option", { value: "" }, t.anyAction),
    ...Object.entries(t.actionNames).map(([value, label]) => h("option", { value }, label)),
  );
  select.value = action;
  const filter = h(
    "form",
    {
      class: "filters mod-filters",
      method: "get",
      action: sitePath("/moderointi/loki"),
      "aria-labelledby": "log-filter-h",
    },
    h("h2", { id: "log-filter-h", class: "visually-hidden" }, t.logFilterHeading),
    lang !== SITE_DEFAULT_LANG ? h("input", { type: "hidden", name: "lang", value: lang }) : null,
    event ? h("input", { type: "hidden", name: "event", value: event }) : null,
    h(
      "div",
      { class: "filters__row" },
      h("div", { class: "field" }, h("label", { for: "log-action" }, t.actionFilterLabel), select),
      h(
        "div",
        { class: "mod-filters__submit" },
        h("button", { type: "submit", class: "button" }, t.applyFilter),
      ),
    ),
  );
  const allHref = (() => {
    const u = new URLSearchParams();
    if (lang !== SITE_DEFAULT_LANG) u.set("lang", lang);
    if (action) u.set("action", action);
    return sitePath(`/moderointi/loki${u.size ? `?${u}` : ""}`);
  })();
  const body = h("div", {});
  fill(
    app,
    h("p", { class: "intro" }, t.logIntro),
    filter,
    event
      ? h(
          "p",
          { class: "notice", id: "log-event-filter" },
          t.onlyEvent,
          " ",
          h("a", { href: allHref }, t.showAllEvents),
        )
      : null,
    body,
  );
  body.replaceChildren(loadingBox(t));

  const q = new URLSearchParams({ limit: "50" });
  if (action) q.set("action", action);
  if (event) q.set("event_id", event);
  if (before) q.set("before", before);
  let page: { data: LogRow[]; next_before: number | null };
  try {
    page = await api("GET", `/api/v1/moderation/log?${q}`);
  } catch (err) {
    showLoadError(p, err, () => void logPage(p));
    return;
  }

  const actor = (e: LogRow) =>
    e.actor.kind === "user"
      ? (e.actor.name ?? t.actorDeleted)
      : e.actor.kind === "submitter"
        ? t.actorSubmitter
        : e.actor.kind === "token"
          ? t.actorToken
          : t.actorSystem;
  const subject = (e: LogRow): Node | string => {
    if (e.event_id) {
      return e.event_title
        ? h("a", { href: reviewHref(e.event_id, lang) }, textSpan(e.event_title, lang))
        : t.deletedEvent;
    }
    const name = typeof e.after?.name === "string" ? e.after.name : null;
    return name ? h("a", { href: withLang("/moderointi/organisaatiot", lang) }, name) : "–";
  };

  const pageLink = (params: Record<string, string>, label: string, id: string) => {
    const u = new URLSearchParams(location.search);
    u.delete("before");
    for (const [k, v] of Object.entries(params)) u.set(k, v);
    return h(
      "a",
      { class: "button button--secondary", href: sitePath(`/moderointi/loki${u.size ? `?${u}` : ""}`), id },
      label,
    );
  };

  fill(
    body,
    page.data.length === 0
      ? h("p", { class: "empty", id: "log-empty" }, t.logEmpty)
      : h(
          "div",
          { class: "table-scroll", role: "region", "aria-labelledby": "log-caption", tabindex: "0" },
          h(
            "table",
            { class: "mod-table mod-table--reflow", id: "log-table" },
            h("caption", { id: "log-caption" }, t.logCaption),
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                h("th", { scope: "col" }, t.colTime),
                h("th", { scope: "col" }, t.colActor),
                h("th", { scope: "col" }, t.colAction),
                h("th", { scope: "col" }, t.colEvent),
                h("th", { scope: "col" }, t.colReason),
              ),
            ),
            h(
              "tbody",
              {},
              ...page.data.map((e) =>
                h(
                  "tr",
                  { "data-action": e.action },
                  h("td", { class: "nowrap", "data-label": t.colTime }, timeEl(e.created_at, lang, t)),
                  h("td", { "data-label": t.colActor }, actor(e)),
                  h("td", { "data-label": t.colAction }, t.actionNames[e.action] ?? e.action),
                  h("td", { "data-label": t.colEvent }, subject(e)),
                  e.reason
                    ? h("td", { class: "mod-table__reason", "data-label": t.colReason }, e.reason)
                    : h("td", { class: "mod-table__reason mod-table__empty" }, ""),
                ),
              ),
            ),
          ),
        ),
    before || page.next_before
      ? h(
          "nav",
          { class: "mod-pager", "aria-label": t.paginationLabel },
          before ? pageLink({}, t.newestEntries, "log-newest") : null,
          page.next_before
            ? pageLink({ before: String(page.next_before) }, t.olderEntries, "log-older")
            : null,
        )
      : null,
  );
}
