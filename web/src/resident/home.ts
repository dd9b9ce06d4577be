/**
 * Home page: upcoming events as a list grouped by day or as a month calendar, with
 * filters that live in the URL, and the subscribe dialog for the current filters.
 * No framework; the DOM is built with createElement/textContent only (strict CSP).
 */

import { ACCESSIBILITY_FEATURES } from "../../../src/contract/codes.ts";
import { DEFAULT_LANG, type Lang, MESSAGES, type Messages } from "../../../src/contract/i18n/resident.ts";
import {
  ApiError,
  type ApiEvent,
  type Category,
  type EventPage,
  eventsUrl,
  fetchEvents,
  getJson,
  type Place,
  resolveNext,
} from "../lib/api.ts";
import { applyChrome, langAttr, updateLangLinks, withLang } from "../lib/common.ts";
import { byId, copyText, h } from "../lib/dom.ts";
import {
  addDays,
  daysInMonth,
  eventDays,
  formatDay,
  formatWhen,
  helsinkiTime,
  parseYmd,
  weekday,
  type Ymd,
  ymdKey,
} from "../lib/format.ts";
import { BASE_PATH, SITE_DEFAULT_LANG, siteLang, sitePath } from "../lib/site.ts";
import { feedLinks } from "./feeds.ts";
import {
  apiQuery,
  dateRange,
  type Filters,
  filterErrors,
  filtersToSearch,
  parseFilters,
  type When,
} from "./filters.ts";

const form = byId<HTMLFormElement>("filters");
const listEl = byId<HTMLDivElement>("event-list");
const listView = byId<HTMLElement>("list-view");
const monthView = byId<HTMLElement>("month-view");
const monthGrid = byId<HTMLDivElement>("month-grid");
const monthHeading = byId<HTMLHeadingElement>("month-heading");
const statusEl = byId<HTMLParagraphElement>("events-status");
const errorsEl = byId<HTMLDivElement>("filter-errors");
const moreButton = byId<HTMLButtonElement>("load-more");
const rangeEl = byId<HTMLDivElement>("range");
const categorySelect = byId<HTMLSelectElement>("f-category");
const whereSelect = byId<HTMLSelectElement>("f-where");
const searchInput = byId<HTMLInputElement>("f-q");
const fromInput = byId<HTMLInputElement>("f-from");
const toInput = byId<HTMLInputElement>("f-to");
const ageInput = byId<HTMLInputElement>("f-age");
const freeInput = byId<HTMLInputElement>("f-free");
const a11yBox = byId<HTMLDivElement>("a11y-options");
const moreFilters = byId<HTMLDetailsElement>("more-filters");
const viewList = byId<HTMLButtonElement>("view-list");
const viewMonth = byId<HTMLButtonElement>("view-month");
const dialog = byId<HTMLDialogElement>("subscribe-dialog");
const openSubscribe = byId<HTMLButtonElement>("open-subscribe");

interface State {
  lang: Lang;
  t: Messages;
  filters: Filters;
  next: string | null;
  shown: number;
  days: Map<string, HTMLUListElement>;
  request: AbortController | null;
  /** The language the category and place options were loaded in. */
  optionsLang: Lang | null;
}

const state: State = {
  lang: DEFAULT_LANG,
  t: MESSAGES[DEFAULT_LANG],
  filters: parseFilters(""),
  next: null,
  shown: 0,
  days: new Map(),
  request: null,
  optionsLang: null,
};

const today = (): Ymd => helsinkiTime(new Date());

/* ---------- form <-> filters ---------- */

function writeForm(f: Filters): void {
  byId<HTMLInputElement>("f-lang").value = state.lang;
  byId<HTMLInputElement>("f-view").value = f.view;
  searchInput.value = f.q;
  categorySelect.value = f.category;
  if (f.category && categorySelect.value !== f.category) {
    categorySelect.appendChild(h("option", { value: f.category }, f.category));
    categorySelect.value = f.category;
  }
  const where = f.village ? `v:${f.village}` : f.place ? `p:${f.place}` : "";
  whereSelect.value = where;
  if (where && whereSelect.value !== where) {
    whereSelect.appendChild(h("option", { value: where }, f.village || f.place));
    whereSelect.value = where;
  }
  for (const radio of form.querySelectorAll<HTMLInputElement>('input[name="when"]')) {
    radio.checked = radio.value === f.when;
  }
  rangeEl.hidden = f.when !== "range";
  fromInput.value = f.from;
  toInput.value = f.to;
  freeInput.checked = f.free;
  ageInput.value = f.age;
  for (const box of a11yBox.querySelectorAll<HTMLInputElement>("input"))
    box.checked = f.a11y.includes(box.value);
  if (f.free || f.age || f.a11y.length > 0) moreFilters.open = true;
  viewList.setAttribute("aria-pressed", String(f.view === "list"));
  viewMonth.setAttribute("aria-pressed", String(f.view === "month"));
}

function readForm(): Filters {
  const when = (form.querySelector<HTMLInputElement>('input[name="when"]:checked')?.value ?? "") as When;
  const where = whereSelect.value;
  return {
    when,
    from: when === "range" ? fromInput.value : "",
    to: when === "range" ? toInput.value : "",
    q: searchInput.value.trim(),
    category: categorySelect.value,
    village: where.startsWith("v:") ? where.slice(2) : "",
    place: where.startsWith("p:") ? where.slice(2) : "",
    free: freeInput.checked,
    age: ageInput.value.trim(),
    a11y: [...a11yBox.querySelectorAll<HTMLInputElement>("input:checked")].map((i) => i.value),
    view: state.filters.view,
    month: state.filters.month,
  };
}

function pageUrl(f: Filters): string {
  const p = filtersToSearch(f);
  if (state.lang !== SITE_DEFAULT_LANG) p.set("lang", state.lang);
  const qs = p.toString();
  return sitePath(`/${qs ? `?${qs}` : ""}`);
}

/** Shows validation errors next to their fields and announces them; true when the filters are valid. */
function validate(f: Filters): boolean {
  const errors = filterErrors(f);
  if (!/^\d{0,3}$/.test(f.age)) errors.push({ field: "age", key: "ageError" });
  for (const [input, field] of [
    [toInput, "to"],
    [ageInput, "age"],
  ] as const) {
    const err = errors.find((e) => e.field === field);
    const msg = byId<HTMLParagraphElement>(`${input.id}-error`);
    msg.hidden = !err;
    msg.textContent = err ? state.t[err.key] : "";
    if (err) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
  errorsEl.textContent = errors.map((e) => state.t[e.key]).join(" ");
  return errors.length === 0;
}

/** Applies the form's filters: new history entry (or replaced while typing), then reload. */
function applyForm(replace = false): void {
  const f = readForm();
  rangeEl.hidden = f.when !== "range";
  if (!validate(f)) return;
  const url = pageUrl(f);
  if (url !== `${location.pathname}${location.search}`) {
    if (replace) history.replaceState(null, "", url);
    else history.pushState(null, "", url);
  }
  state.filters = f;
  render();
}

/* ---------- reference data for the selects ---------- */

async function loadOptions(): Promise<void> {
  if (state.optionsLang === state.lang) return;
  const lang = state.lang;
  state.optionsLang = lang;
  try {
    const [cats, places] = await Promise.all([
      getJson<{ data: Category[] }>(`/api/v1/categories?lang=${lang}`),
      getJson<{ data: Place[] }>(`/api/v1/places?lang=${lang}`),
    ]);
    const t = state.t;
    categorySelect.replaceChildren(
      h("option", { value: "" }, t.anyCategory),
      ...cats.data.map((c) => h("option", { value: c.slug, ...langAttr(c.name, lang) }, c.name.text)),
    );
    const villages = new Map<string, string>();
    for (const p of places.data) if (p.village) villages.set(p.village.slug, p.village.name);
    const collator = new Intl.Collator(lang);
    whereSelect.replaceChildren(
      h("option", { value: "" }, t.anyWhere),
      h(
        "optgroup",
        { label: t.villagesGroup },
        ...[...villages]
          .sort((a, b) => collator.compare(a[1], b[1]))
          .map(([slug, name]) => h("option", { value: `v:${slug}` }, name)),
      ),
      h(
        "optgroup",
        { label: t.placesGroup },
        ...places.data
          .slice()
          .sort((a, b) => collator.compare(a.name.text, b.name.text))
          .map((p) => h("option", { value: `p:${p.slug}`, ...langAttr(p.name, lang) }, p.name.text)),
      ),
    );
    writeForm(state.filters);
  } catch {
    state.optionsLang = null; // the selects keep "all"; the list shows its own error if the API is down
  }
}

function renderA11yOptions(): void {
  const t = state.t;
  a11yBox.replaceChildren(
    ...ACCESSIBILITY_FEATURES.map((code) =>
      h(
        "div",
        { class: "field field--check" },
        h("input", { type: "checkbox", id: `a11y-${code}`, name: "a11y", value: code }),
        h("label", { for: `a11y-${code}` }, t.accessibilityFeatures[code] ?? code),
      ),
    ),
  );
}

/* ---------- list view ---------- */

const STATUS_BADGES: Record<string, "cancelled" | "postponed" | "rescheduled"> = {
  cancelled: "cancelled",
  postponed: "postponed",
  rescheduled: "rescheduled",
};

function eventHref(id: string): string {
  return withLang(`/tapahtumat/${encodeURIComponent(id)}`, state.lang);
}

function renderEvent(ev: ApiEvent): HTMLLIElement {
  const t = state.t;
  const lang = state.lang;
  const badgeKey = STATUS_BADGES[ev.event_status];
  const badge = badgeKey
    ? h(
        "span",
        { class: `badge badge--${ev.event_status}` },
        t[badgeKey],
        h("span", { class: "visually-hidden" }, ":"),
      )
    : null;
  const categories = ev.categories ?? [];
  return h(
    "li",
    { class: `event${badgeKey ? ` event--${ev.event_status}` : ""}` },
    h(
      "h3",
      { class: "event__title" },
      badge,
      badge ? " " : null,
      h("a", { href: eventHref(ev.event_id), ...langAttr(ev.title, lang) }, ev.title.text),
    ),
    h(
      "p",
      { class: "event__when" },
      h("span", { class: "visually-hidden" }, `${t.timeLabel}: `),
      h("time", { datetime: ev.start }, formatWhen(ev, lang, t)),
    ),
    ev.place
      ? h(
          "p",
          { class: "event__place" },
          h("span", { class: "visually-hidden" }, `${t.placeLabel}: `),
          h("span", langAttr(ev.place.name, lang), ev.place.name.text),
          ev.place.village?.name ? `, ${ev.place.village.name}` : null,
        )
      : null,
    ev.short_description?.text
      ? h("p", { class: "event__desc", ...langAttr(ev.short_description, lang) }, ev.short_description.text)
      : null,
    categories.length > 0 || ev.is_free
      ? h(
          "div",
          { class: "event__tags" },
          ev.is_free ? h("span", { class: "tag tag--free" }, t.free) : null,
          categories.length > 0
            ? h(
                "ul",
                { class: "tag-list", "aria-label": t.categoriesLabel },
                ...categories.map((c) => h("li", { class: "tag", ...langAttr(c.name, lang) }, c.name.text)),
              )
            : null,
        )
      : null,
  );
}

/** The day an event is listed under: its first day, or the range's first day for one already running. */
function listingDay(ev: ApiEvent, first: Ymd): Ymd | null {
  const days = eventDays(ev);
  if (!days) return null;
  const firstKey = ymdKey(first);
  return ymdKey(days.first) < firstKey && ymdKey(days.last) >= firstKey ? first : days.first;
}

function dayList(day: Ymd, now: Ymd): HTMLUListElement {
  const key = ymdKey(day);
  const existing = state.days.get(key);
  if (existing) return existing;
  const label = formatDay(day, state.lang, state.t);
  const list = h("ul", { class: "day__events" });
  listEl.appendChild(
    h(
      "section",
      { class: "day" },
      h(
        "h2",
        { class: "day__heading" },
        h("time", { datetime: key }, key === ymdKey(now) ? `${state.t.today}, ${label}` : label),
      ),
      list,
    ),
  );
  state.days.set(key, list);
  return list;
}

function renderEvents(events: ApiEvent[]): HTMLLIElement | null {
  const now = today();
  const rangeFrom = dateRange(state.filters, now).from;
  const first = rangeFrom && rangeFrom > ymdKey(now) ? (parseYmd(rangeFrom) ?? now) : now;
  let firstItem: HTMLLIElement | null = null;
  for (const ev of events) {
    const day = listingDay(ev, first);
    if (!day || !ev.title) continue;
    const item = renderEvent(ev);
    dayList(day, now).appendChild(item);
    firstItem ??= item;
    state.shown++;
  }
  return firstItem;
}

function errorNotice(err: unknown, retry: () => void): HTMLElement {
  const t = state.t;
  const detail = err instanceof ApiError ? (err.detail ?? err.title ?? `HTTP ${err.status}`) : null;
  const button = h("button", { class: "button button--secondary", type: "button" }, t.retry);
  button.addEventListener("click", retry);
  return h(
    "div",
    { class: "notice notice--error", role: "alert" },
    h("p", { class: "notice__title" }, t.loadError),
    detail ? h("p", {}, detail) : null,
    h("p", {}, button),
  );
}

function beginRequest(): AbortController {
  state.request?.abort();
  const request = new AbortController();
  state.request = request;
  return request;
}

async function loadList(url: string, append: boolean): Promise<void> {
  const request = beginRequest();
  const t = state.t;
  listEl.setAttribute("aria-busy", "true");
  if (append) {
    moreButton.setAttribute("aria-disabled", "true");
    moreButton.textContent = t.loading;
  } else {
    state.days.clear();
    state.shown = 0;
    state.next = null;
    moreButton.hidden = true;
    statusEl.textContent = t.loading;
    listEl.replaceChildren(
      h("p", { class: "loading" }, h("span", { class: "spinner", "aria-hidden": "true" }), t.loading),
    );
  }
  try {
    const page = (await fetchEvents(url, request.signal)) as EventPage & { total?: number };
    if (request.signal.aborted) return;
    if (!append) listEl.replaceChildren();
    const firstNew = renderEvents(page.data);
    state.next = page.next;
    if (state.shown === 0) listEl.replaceChildren(h("p", { class: "empty" }, t.empty));
    if (!append) {
      const total = (await totalOf(url, page, request.signal)) ?? state.shown;
      if (request.signal.aborted) return;
      statusEl.textContent = total > 0 ? t.found(total) : t.empty;
    }
    if (append) firstNew?.querySelector("a")?.focus();
  } catch (err) {
    if (request.signal.aborted) return;
    if (!append) listEl.replaceChildren();
    statusEl.textContent = "";
    listEl.appendChild(errorNotice(err, () => void loadList(url, append)));
  } finally {
    if (state.request === request) {
      state.request = null;
      listEl.setAttribute("aria-busy", "false");
      moreButton.removeAttribute("aria-disabled");
      moreButton.textContent = t.loadMore;
      moreButton.hidden = state.next === null;
    }
  }
}

/** The total number of matches: known without a request when everything fits on one page. */
async function totalOf(url: string, page: EventPage, signal: AbortSignal): Promise<number | null> {
  if (!page.next) return page.data.length;
  try {
    const res = await getJson<{ total?: number }>(
      `${url.replace("limit=100", "limit=1")}&total=true`,
      signal,
    );
    return typeof res.total === "number" ? res.total : null;
  } catch {
    return null;
  }
}

/* ---------- month view ---------- */

function visibleMonth(): { y: number; m: number } {
  const match = /^(\d{4})-(\d{2})$/.exec(state.filters.month);
  if (match) return { y: Number(match[1]), m: Number(match[2]) };
  const from = dateRange(state.filters, today()).from;
  const base = (from && parseYmd(from)) || today();
  return { y: base.y, m: base.m };
}

function monthKey(y: number, m: number): string {
  return `${y}-${String(m).padStart(2, "0")}`;
}

async function loadMonth(): Promise<void> {
  const request = beginRequest();
  const t = state.t;
  const lang = state.lang;
  const { y, m } = visibleMonth();
  const first: Ymd = { y, m, d: 1 };
  const last: Ymd = { y, m, d: daysInMonth(y, m) };
  monthHeading.textContent = `${t.monthNames[m - 1] ?? m} ${y}`;
  statusEl.textContent = t.loading;
  monthGrid.setAttribute("aria-busy", "true");
  const query = apiQuery(state.filters, today(), { dates: false });
  query.set("from", ymdKey(first));
  query.set("to", ymdKey(last));
  const byDay = new Map<string, ApiEvent[]>();
  let count = 0;
  try {
    let url: string | null = eventsUrl(lang, query);
    for (let pages = 0; url && pages < 5; pages++) {
      const page: EventPage = await fetchEvents(url, request.signal);
      for (const ev of page.data) {
        const days = eventDays(ev);
        if (!days) continue;
        count++;
        // A multi-day event shows on each of its days within the month.
        for (let d = days.first, i = 0; ymdKey(d) <= ymdKey(days.last) && i < 62; d = addDays(d, 1), i++) {
          const key = ymdKey(d);
          if (key < ymdKey(first) || key > ymdKey(last)) continue;
          byDay.set(key, [...(byDay.get(key) ?? []), ev]);
        }
      }
      url = page.next ? resolveNext(page.next) : null;
    }
    if (request.signal.aborted) return;
    monthGrid.replaceChildren(monthTable(first, last, byDay));
    statusEl.textContent = count > 0 ? t.found(count) : t.empty;
  } catch (err) {
    if (request.signal.aborted) return;
    statusEl.textContent = "";
    monthGrid.replaceChildren(errorNotice(err, () => void loadMonth()));
  } finally {
    if (state.request === request) state.request = null;
    monthGrid.setAttribute("aria-busy", "false");
  }
}

function monthTable(first: Ymd, last: Ymd, byDay: Map<string, ApiEvent[]>): HTMLTableElement {
  const t = state.t;
  const lang = state.lang;
  const now = ymdKey(today());
  // Weeks start on Monday.
  const lead = (weekday(first) + 6) % 7;
  const head = h(
    "tr",
    {},
    ...[1, 2, 3, 4, 5, 6, 0].map((wd) =>
      h("th", { scope: "col", abbr: t.weekdays[wd] ?? "" }, t.weekdaysShort[wd] ?? ""),
    ),
  );
  const rows: HTMLTableRowElement[] = [];
  let row = h("tr", {});
  for (let i = 0; i < lead; i++) row.appendChild(h("td", { class: "month__pad" }));
  for (let d = 1; d <= last.d; d++) {
    const day: Ymd = { ...first, d };
    const key = ymdKey(day);
    const events = byDay.get(key) ?? [];
    const dayLink = h(
      "a",
      {
        href: pageUrl({ ...state.filters, when: "range", from: key, to: key, view: "list", month: "" }),
        class: "month__daylink",
        "data-day": key,
      },
      h("span", { class: "month__num", "aria-hidden": "true" }, String(d)),
      h(
        "span",
        { class: "visually-hidden" },
        `${formatDay(day, lang, t)}: ${events.length > 0 ? t.dayEvents(events.length) : t.noEventsDay}`,
      ),
      events.length > 0
        ? h("span", { class: "month__count", "aria-hidden": "true" }, String(events.length))
        : null,
    );
    const shown = events.slice(0, 3);
    const cell = h(
      "td",
      {
        class: `month__day${key === now ? " month__day--today" : ""}${events.length ? " month__day--busy" : ""}`,
      },
      dayLink,
      shown.length > 0
        ? h(
            "ul",
            { class: "month__events" },
            ...shown.map((ev) =>
              h(
                "li",
                {},
                h(
                  "a",
                  { href: eventHref(ev.event_id), ...langAttr(ev.title, lang) },
                  STATUS_BADGES[ev.event_status]
                    ? `${t[STATUS_BADGES[ev.event_status] ?? "cancelled"]}: `
                    : "",
                  ev.title.text,
                ),
              ),
            ),
            events.length > 3 ? h("li", { class: "month__more" }, t.moreInDay(events.length - 3)) : null,
          )
        : null,
    );
    if (key === now) cell.setAttribute("aria-current", "date");
    row.appendChild(cell);
    if ((lead + d) % 7 === 0) {
      rows.push(row);
      row = h("tr", {});
    }
  }
  if (row.childNodes.length > 0) {
    while (row.childNodes.length < 7) row.appendChild(h("td", { class: "month__pad" }));
    rows.push(row);
  }
  return h(
    "table",
    { class: "month__table" },
    h("caption", { class: "visually-hidden" }, monthHeading.textContent ?? ""),
    h("thead", {}, head),
    h("tbody", {}, ...rows),
  );
}

function shiftMonth(delta: number): void {
  const { y, m } = visibleMonth();
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  state.filters = { ...state.filters, month: monthKey(d.getUTCFullYear(), d.getUTCMonth() + 1) };
  history.pushState(null, "", pageUrl(state.filters));
  render();
}

/* ---------- subscribe dialog ---------- */

function updateSubscribe(): void {
  const t = state.t;
  const query = apiQuery(state.filters, today(), { dates: false });
  if (state.lang !== SITE_DEFAULT_LANG) query.set("lang", state.lang);
  const links = feedLinks(`${location.origin}${BASE_PATH}`, query, t.siteName);
  byId<HTMLInputElement>("sub-https").value = links.https;
  byId<HTMLInputElement>("sub-webcal").value = links.webcal;
  byId<HTMLAnchorElement>("sub-google").href = links.google;
  byId<HTMLAnchorElement>("sub-apple").href = links.apple;
  byId<HTMLAnchorElement>("sub-outlook").href = links.outlook;
  byId<HTMLAnchorElement>("ical-link").href = links.https;
  byId<HTMLAnchorElement>("api-link").href = sitePath(
    eventsUrl(state.lang, apiQuery(state.filters, today())),
  );
}

openSubscribe.addEventListener("click", () => {
  updateSubscribe();
  byId<HTMLParagraphElement>("copy-status").textContent = "";
  dialog.showModal();
});
byId<HTMLButtonElement>("close-subscribe").addEventListener("click", () => dialog.close());
dialog.addEventListener("close", () => openSubscribe.focus());
// A click on the backdrop (outside the dialog box) closes it too.
dialog.addEventListener("click", (event) => {
  if (event.target === dialog) {
    const r = dialog.getBoundingClientRect();
    const inside =
      event.clientX >= r.left &&
      event.clientX <= r.right &&
      event.clientY >= r.top &&
      event.clientY <= r.bottom;
    if (!inside) dialog.close();
  }
});
for (const button of dialog.querySelectorAll<HTMLButtonElement>("[data-copy]")) {
  button.addEventListener("click", async () => {
    const input = byId<HTMLInputElement>(button.dataset.copy ?? "");
    const ok = await copyText(input.value, input);
    byId<HTMLParagraphElement>("copy-status").textContent = ok ? state.t.copied : state.t.copyFailed;
  });
}

/* ---------- wiring ---------- */

function render(): void {
  const f = state.filters;
  writeForm(f);
  updateLangLinks(state.lang);
  updateSubscribe();
  listView.hidden = f.view !== "list";
  monthView.hidden = f.view !== "month";
  if (filterErrors(f).length > 0) {
    // Invalid filters from a URL: show the errors next to the fields, not a list for other dates.
    state.request?.abort();
    listEl.replaceChildren();
    moreButton.hidden = true;
    statusEl.textContent = "";
    return;
  }
  if (f.view === "month") void loadMonth();
  else void loadList(`${eventsUrl(state.lang, apiQuery(f, today()))}`, false);
}

function start(): void {
  const lang = siteLang(new URLSearchParams(location.search).get("lang"));
  const langChanged = lang !== state.lang || state.optionsLang === null;
  state.lang = lang;
  state.t = applyChrome(lang).t;
  document.title = state.t.siteName;
  state.filters = parseFilters(location.search);
  if (langChanged) renderA11yOptions();
  validate(state.filters);
  render();
  void loadOptions();
}

let typing: ReturnType<typeof setTimeout> | undefined;
form.addEventListener("input", (event) => {
  const target = event.target as HTMLInputElement;
  if (target === searchInput || target === ageInput) {
    clearTimeout(typing);
    typing = setTimeout(() => applyForm(true), 400);
  }
});
form.addEventListener("change", (event) => {
  const target = event.target as HTMLInputElement;
  if (target === searchInput || target === ageInput) return; // handled on input
  if (target.name === "when" && target.value === "range") {
    rangeEl.hidden = false;
    // Wait for dates before filtering; move on to the first date field.
    if (!fromInput.value) {
      fromInput.focus();
      return;
    }
  }
  applyForm();
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typing);
  applyForm();
  if (validate(readForm()))
    (state.filters.view === "list" ? listEl : monthGrid)
      .closest("section")
      ?.scrollIntoView({ block: "start" });
});
byId<HTMLAnchorElement>("clear-filters").addEventListener("click", (event) => {
  event.preventDefault();
  state.filters = { ...parseFilters(""), view: state.filters.view };
  history.pushState(null, "", pageUrl(state.filters));
  validate(state.filters);
  render();
  searchInput.focus();
});
moreButton.addEventListener("click", () => {
  if (state.next && !state.request) void loadList(resolveNext(state.next), true);
});
for (const [button, view] of [
  [viewList, "list"],
  [viewMonth, "month"],
] as const) {
  button.addEventListener("click", () => {
    if (state.filters.view === view) return;
    state.filters = { ...state.filters, view, month: "" };
    history.pushState(null, "", pageUrl(state.filters));
    render();
  });
}
byId<HTMLButtonElement>("month-prev").addEventListener("click", () => shiftMonth(-1));
byId<HTMLButtonElement>("month-next").addEventListener("click", () => shiftMonth(1));
// A day in the month view opens that day's list without a reload.
monthGrid.addEventListener("click", (event) => {
  const link = (event.target as Element | null)?.closest<HTMLAnchorElement>("a[data-day]");
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  const day = link.dataset.day ?? "";
  state.filters = { ...state.filters, when: "range", from: day, to: day, view: "list", month: "" };
  history.pushState(null, "", pageUrl(state.filters));
  render();
  byId<HTMLHeadingElement>("page-heading").scrollIntoView();
  listEl.focus();
});
listEl.tabIndex = -1;

window.addEventListener("popstate", start);
start();
