/**
 * The event form shared by /ilmoita (new), /omat/tapahtumat/:id and /ilmoita/omat (edit):
 * texts in fi/sv/en behind WAI-ARIA tabs, date and time (all-day, weekly repeat with
 * exceptions), place (from the list, new, or online), topics, audience, languages, price,
 * image and accessibility. `collect()` validates on the client and builds the API's
 * EventInput; every control carries data-field = the API's dotted path, so forms.ts puts
 * the API's own field errors next to the right control.
 */
import { ACCESSIBILITY_FEATURES, EVENT_LANGUAGES } from "../../../src/contract/codes.ts";
import type { OrganiserMessages } from "../../../src/contract/i18n/organiser.ts";
import type { Lang, Messages } from "../../../src/contract/i18n/resident.ts";
import { allDayRange, instantToLocal, localToInstant } from "../../../src/contract/time.ts";
import type { EventInput } from "../../../src/domain/events/input.ts";
import type { FieldError } from "../lib/api-client.ts";
import { h } from "../lib/dom.ts";
import { TIME_ZONE } from "../lib/format.ts";

export type T = Messages & OrganiserMessages;
export type { EventInput };

export interface PlaceOption {
  id: string;
  name: { text: string; lang?: string };
  street_address: string | null;
  postal_code: string | null;
  locality: string | null;
  village: { slug: string; name: string } | null;
  accessibility: string[];
}

export interface CategoryOption {
  slug: string;
  name: { text: string; lang?: string };
}

export const TEXT_LANGS = ["fi", "sv", "en"] as const;
const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
// The API's own vocabularies (a constants-only module, bundled as is).
const ACCESSIBILITY = ACCESSIBILITY_FEATURES;
const LIMITS = { title: 200, short_description: 160, description: 10_000, price: 200, alt: 300 };

export interface EventFormOptions {
  lang: Lang;
  t: T;
  places: PlaceOption[];
  categories: CategoryOption[];
  /** Extra controls at the top (organisation, submitter). */
  before?: Node[];
  /** The buttons at the end. */
  actions: Node[];
  initial?: EventInput | null;
}

export interface EventForm {
  form: HTMLFormElement;
  /** Validates and builds the input; errors carry data-field paths. */
  collect(): { input: EventInput; errors: FieldError[] };
  /** Maps an API error path onto this form's controls. */
  mapPath(path: string): string;
  /** Shows the tab of any invalid text control and marks tabs with errors. */
  markTabs(): void;
}

let seq = 0;

/**
 * Helsinki wall-clock date + time → UTC ISO instant, as the API reads it (src/contract/time.ts:
 * a time in the spring-forward gap moves forward by the gap, 03:30 → 04:30+03:00).
 */
export function helsinkiInstant(date: string, time: string): string {
  return localToInstant(date, time, TIME_ZONE).toISOString().replace(".000Z", "Z");
}

/** An ISO instant or offset date-time as its Helsinki date and time. */
function splitIso(value: string): { date: string; time: string } {
  if (value.length === 10) return { date: value, time: "" };
  return instantToLocal(new Date(value), TIME_ZONE);
}

/** "FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=…" as weekdays and a Helsinki until date; null if not of that shape. */
export function parseWeekly(rrule: string): { days: string[]; until: string } | null {
  const parts = new Map(
    rrule
      .replace(/^RRULE:/i, "")
      .split(";")
      .filter(Boolean)
      .map((p) => p.split("=", 2) as [string, string]),
  );
  const keys = [...parts.keys()].sort().join(",");
  if (parts.get("FREQ") !== "WEEKLY" || keys !== "BYDAY,FREQ,UNTIL") return null;
  const days = (parts.get("BYDAY") ?? "").split(",");
  if (!days.every((d) => (WEEKDAYS as readonly string[]).includes(d))) return null;
  const u = parts.get("UNTIL") ?? "";
  const m = /^(\d{4})(\d{2})(\d{2})(T(\d{2})(\d{2})(\d{2})Z)?$/.exec(u);
  if (!m) return null;
  const until = m[4]
    ? splitIso(`${m[1]}-${m[2]}-${m[3]}T${m[5]}:${m[6]}:${m[7]}Z`).date
    : `${m[1]}-${m[2]}-${m[3]}`;
  return { days, until };
}

const isUrl = (s: string) => /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(s);
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s));
const isTime = (s: string) => /^([01]\d|2[0-3]):[0-5]\d$/.test(s);

export function buildEventForm(opts: EventFormOptions): EventForm {
  const { t, lang } = opts;
  const p = `ef${++seq}`;
  const init = opts.initial ?? null;

  /** A labelled field: label, optional hint, control. */
  const field = (
    control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
    label: string,
    hint?: string,
    opt?: { required?: boolean; cls?: string },
  ) => {
    const hintId = hint ? `${control.id}-hint` : null;
    if (hintId) control.setAttribute("aria-describedby", hintId);
    if (opt?.required) control.setAttribute("aria-required", "true");
    return h(
      "div",
      { class: `field ${opt?.cls ?? ""}`.trim() },
      h(
        "label",
        { for: control.id },
        label,
        opt?.required ? h("span", { class: "req" }, ` (${t.required})`) : null,
      ),
      hintId ? h("p", { class: "hint", id: hintId }, hint ?? "") : null,
      control,
    );
  };
  const input = (id: string, dataField: string, type = "text", extra: Record<string, string> = {}) =>
    h("input", { id: `${p}-${id}`, name: id, type, "data-field": dataField, ...extra });
  const check = (id: string, name: string, value: string, label: string, checked: boolean) => {
    const box = h("input", { type: "checkbox", id: `${p}-${id}`, name, value });
    box.checked = checked;
    return h("div", { class: "check" }, box, h("label", { for: box.id }, label));
  };
  const section = (id: string, title: string, ...children: (Node | null)[]) =>
    h(
      "section",
      { class: "form-section", "aria-labelledby": `${p}-${id}-h` },
      h("h2", { id: `${p}-${id}-h` }, title),
      ...children,
    );

  // ---------- texts in tabs ----------
  const textControls: Record<
    string,
    { title: HTMLInputElement; short: HTMLTextAreaElement; desc: HTMLTextAreaElement }
  > = {};
  const tabs: HTMLButtonElement[] = [];
  const panels: HTMLElement[] = [];
  const counter = (ctl: HTMLInputElement | HTMLTextAreaElement, max: number) => {
    const out = h("p", { class: "hint counter", id: `${ctl.id}-count` });
    const update = () => {
      const left = max - ctl.value.trim().length;
      out.textContent = left >= 0 ? t.charsLeft(left) : t.charsOver(-left);
      out.classList.toggle("counter--over", left < 0);
    };
    ctl.addEventListener("input", update);
    update();
    return { out, update };
  };
  const updaters: (() => void)[] = [];
  for (const l of TEXT_LANGS) {
    const title = input(`title-${l}`, `title.${l}`, "text", { lang: l, autocomplete: "off" });
    title.value = init?.title?.[l] ?? "";
    const short = h("textarea", {
      id: `${p}-short-${l}`,
      name: `short_description-${l}`,
      "data-field": `short_description.${l}`,
      rows: "2",
      lang: l,
    });
    short.value = init?.short_description?.[l] ?? "";
    const desc = h("textarea", {
      id: `${p}-desc-${l}`,
      name: `description-${l}`,
      "data-field": `description.${l}`,
      rows: "8",
      lang: l,
    });
    desc.value = init?.description?.[l] ?? "";
    textControls[l] = { title, short, desc };
    const shortCount = counter(short, LIMITS.short_description);
    const titleCount = counter(title, LIMITS.title);
    updaters.push(shortCount.update, titleCount.update);
    const tab = h(
      "button",
      {
        type: "button",
        role: "tab",
        id: `${p}-tab-${l}`,
        "aria-controls": `${p}-panel-${l}`,
        "aria-selected": "false",
        tabindex: "-1",
        class: "tabs__tab",
      },
      t.tabLang[l] ?? l,
    );
    tabs.push(tab);
    const titleField = field(title, t.titleLabel, undefined, { cls: "field--wide" });
    titleField.appendChild(titleCount.out);
    title.setAttribute("aria-describedby", titleCount.out.id);
    const shortField = field(short, t.shortDescriptionLabel, t.shortDescriptionHint, { cls: "field--wide" });
    shortField.appendChild(shortCount.out);
    short.setAttribute("aria-describedby", `${short.id}-hint ${shortCount.out.id}`);
    panels.push(
      h(
        "div",
        {
          role: "tabpanel",
          id: `${p}-panel-${l}`,
          "aria-labelledby": tab.id,
          class: "tabs__panel",
          hidden: "",
        },
        titleField,
        shortField,
        field(desc, t.descriptionLabel, undefined, { cls: "field--wide" }),
      ),
    );
  }
  const filledMarks = () => {
    for (const [i, l] of TEXT_LANGS.entries()) {
      const c = textControls[l]!;
      const filled = c.title.value.trim() !== "" || c.short.value.trim() !== "" || c.desc.value.trim() !== "";
      const invalid = panels[i]!.querySelector('[aria-invalid="true"]') !== null;
      const tab = tabs[i]!;
      const parts: (Node | string | null)[] = [
        t.tabLang[l] ?? l,
        filled ? h("span", { class: "tabs__mark", "aria-hidden": "true" }, " ✓") : null,
        filled ? h("span", { class: "visually-hidden" }, ` (${t.langFilled})`) : null,
        invalid ? h("span", { class: "tabs__error", "aria-hidden": "true" }, " ⚠") : null,
        invalid ? h("span", { class: "visually-hidden" }, ` (${t.errorSummary})`) : null,
      ];
      tab.replaceChildren(...parts.filter((x): x is Node | string => x !== null));
    }
  };
  const select = (i: number, focus: boolean) => {
    tabs.forEach((tab, j) => {
      const on = i === j;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      panels[j]!.hidden = !on;
    });
    if (focus) tabs[i]!.focus();
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => select(i, true));
    tab.addEventListener("keydown", (ev) => {
      const n = tabs.length;
      const to =
        ev.key === "ArrowRight"
          ? (i + 1) % n
          : ev.key === "ArrowLeft"
            ? (i - 1 + n) % n
            : ev.key === "Home"
              ? 0
              : ev.key === "End"
                ? n - 1
                : -1;
      if (to >= 0) {
        ev.preventDefault();
        select(to, true);
      }
    });
  });
  select(Math.max(0, TEXT_LANGS.indexOf(lang)), false);
  const tablist = h("div", { role: "tablist", "aria-label": t.textTabsLabel, class: "tabs__list" }, ...tabs);
  const textsSection = section(
    "texts",
    t.textsSection,
    h("p", { class: "hint", id: `${p}-texts-hint` }, t.textsHint),
    h("div", { class: "tabs" }, tablist, ...panels),
  );
  textsSection.addEventListener("input", filledMarks);
  filledMarks();

  // ---------- time ----------
  const start = init ? splitIso(init.start) : { date: "", time: "" };
  const end = init ? splitIso(init.end) : { date: "", time: "" };
  const allDay = h("input", { type: "checkbox", id: `${p}-allday`, name: "all_day" });
  allDay.checked = Boolean(init && init.start.length === 10);
  const startDate = input("start-date", "start", "date", { value: start.date });
  const startTime = input("start-time", "start_time", "time", { value: start.time });
  const endDate = input("end-date", "end", "date", { value: end.date });
  const endTime = input("end-time", "end_time", "time", { value: end.time });
  startDate.value = start.date;
  startTime.value = start.time;
  endDate.value = end.date;
  endTime.value = end.time;
  const startTimeField = field(startTime, t.startTimeLabel, t.timeHint, {
    required: true,
    cls: "field--narrow",
  });
  const endTimeField = field(endTime, t.endTimeLabel, undefined, { required: true, cls: "field--narrow" });
  const syncAllDay = () => {
    startTimeField.hidden = allDay.checked;
    endTimeField.hidden = allDay.checked;
  };
  allDay.addEventListener("change", syncAllDay);
  syncAllDay();
  // A convenience: the end date follows the start date until it is set by hand.
  let endTouched = Boolean(init);
  endDate.addEventListener("input", () => (endTouched = true));
  startDate.addEventListener("change", () => {
    if (!endTouched || endDate.value === "") endDate.value = startDate.value;
  });

  // repeat
  const weekly = init?.rrule ? parseWeekly(init.rrule) : null;
  const custom = init?.rrule && !weekly ? init.rrule : null;
  const repeatRadio = (value: string, label: string, checked: boolean) => {
    const r = h("input", { type: "radio", name: `${p}-repeat`, id: `${p}-repeat-${value}`, value });
    r.checked = checked;
    return h("div", { class: "check" }, r, h("label", { for: r.id }, label));
  };
  const repeatMode = () =>
    (form.querySelector<HTMLInputElement>(`input[name="${p}-repeat"]:checked`)?.value ?? "none") as
      | "none"
      | "weekly"
      | "custom";
  const dayBoxes = WEEKDAYS.map((code, i) =>
    check(`day-${code}`, "byday", code, t.weekdayNames[i] ?? code, weekly?.days.includes(code) ?? false),
  );
  dayBoxes[0]!.querySelector("input")!.dataset.field = "byday";
  const until = input("until", "rrule", "date", { value: weekly?.until ?? "" });
  until.value = weekly?.until ?? "";
  const exdates = new Set<string>(init?.exdates ?? []);
  const exInput = input("except", "exdates", "date");
  const exList = h("ul", { class: "plain-list except-list" });
  const renderEx = () => {
    exList.replaceChildren(
      ...(exdates.size === 0
        ? [h("li", { class: "hint" }, t.noExcepts)]
        : [...exdates].sort().map((d) => {
            const shown = d.split("-").reverse().join(".");
            const remove = h(
              "button",
              {
                type: "button",
                class: "button button--small button--secondary",
                "aria-label": t.removeExcept(shown),
              },
              "✕",
            );
            remove.addEventListener("click", () => {
              exdates.delete(d);
              renderEx();
              exInput.focus();
            });
            return h("li", {}, h("span", {}, shown), " ", remove);
          })),
    );
  };
  renderEx();
  const addEx = h("button", { type: "button", class: "button button--secondary" }, t.addExcept);
  addEx.addEventListener("click", () => {
    if (isDate(exInput.value)) {
      exdates.add(exInput.value);
      exInput.value = "";
      renderEx();
    }
    exInput.focus();
  });
  const weeklyBox = h(
    "div",
    { class: "repeat-weekly", id: `${p}-weekly` },
    h(
      "fieldset",
      {},
      h("legend", {}, t.weekdaysLegend, h("span", { class: "req" }, ` (${t.required})`)),
      h("div", { class: "checks checks--days" }, ...dayBoxes),
    ),
    h("div", { class: "form-row" }, field(until, t.untilLabel, t.dateHint, { required: true })),
    h(
      "fieldset",
      {},
      h("legend", {}, t.exceptLegend),
      h("div", { class: "form-row form-row--end" }, field(exInput, t.exceptDateLabel), addEx),
      exList,
    ),
  );
  const repeatFs = h(
    "fieldset",
    { class: "repeat" },
    h("legend", {}, t.repeatLegend),
    repeatRadio("none", t.repeatNone, !init?.rrule),
    repeatRadio("weekly", t.repeatWeekly, Boolean(weekly)),
    custom ? repeatRadio("custom", t.repeatCustom(custom), true) : null,
    weeklyBox,
  );
  const syncRepeat = () => {
    weeklyBox.hidden = repeatMode() !== "weekly";
  };
  repeatFs.addEventListener("change", syncRepeat);

  const timeSection = section(
    "time",
    t.timeSection,
    h("div", { class: "field field--check" }, allDay, h("label", { for: allDay.id }, t.allDayLabel)),
    h(
      "div",
      { class: "form-row" },
      field(startDate, t.startDateLabel, t.dateHint, { required: true }),
      startTimeField,
    ),
    h(
      "div",
      { class: "form-row" },
      field(endDate, t.endDateLabel, undefined, { required: true }),
      endTimeField,
    ),
    repeatFs,
  );

  // ---------- place ----------
  const placeMode0 = init?.place
    ? "new"
    : init?.place_id
      ? "existing"
      : init?.online_url
        ? "online"
        : "existing";
  const modeRadio = (value: string, label: string) => {
    const r = h("input", { type: "radio", name: `${p}-placemode`, id: `${p}-pm-${value}`, value });
    r.checked = value === placeMode0;
    return h("div", { class: "check" }, r, h("label", { for: r.id }, label));
  };
  const placeMode = () =>
    (form.querySelector<HTMLInputElement>(`input[name="${p}-placemode"]:checked`)?.value ?? "existing") as
      | "existing"
      | "new"
      | "online";
  const filter = input("place-filter", "place_filter", "search", { autocomplete: "off" });
  const placeSelect = h("select", {
    id: `${p}-place`,
    name: "place_id",
    "data-field": "place_id",
    size: "6",
  });
  const placeCount = h("p", { class: "hint", id: `${p}-place-count`, role: "status" });
  const placeLabel = (pl: PlaceOption) =>
    [pl.name.text, pl.street_address, pl.village?.name].filter(Boolean).join(", ");
  const renderPlaces = () => {
    const q = filter.value.trim().toLowerCase();
    const keep = placeSelect.value || init?.place_id || "";
    const hits = opts.places.filter((pl) => !q || placeLabel(pl).toLowerCase().includes(q) || pl.id === keep);
    // A place created with this event may not be in the (cached) public list yet: keep it.
    if (keep && !opts.places.some((pl) => pl.id === keep)) {
      hits.unshift({
        id: keep,
        name: { text: t.currentPlace },
        street_address: null,
        postal_code: null,
        locality: null,
        village: null,
        accessibility: [],
      });
    }
    placeSelect.replaceChildren(
      ...hits.map((pl) => {
        const o = h("option", { value: pl.id }, placeLabel(pl));
        o.selected = pl.id === keep;
        return o;
      }),
    );
    placeCount.textContent = t.placeCount(hits.length);
  };
  filter.addEventListener("input", renderPlaces);
  renderPlaces();
  const existingBox = h(
    "div",
    { class: "place-existing" },
    field(filter, t.placeFilterLabel),
    placeCount,
    field(placeSelect, t.placeListLabel, undefined, { required: true, cls: "field--wide" }),
  );
  const np = init?.place;
  const npName = input("np-name", "place.name", "text", { autocomplete: "off" });
  npName.value = np ? (np.name[lang] ?? Object.values(np.name).find(Boolean) ?? "") : "";
  const npStreet = input("np-street", "place.street_address", "text", { autocomplete: "street-address" });
  npStreet.value = np?.street_address ?? "";
  const npPostal = input("np-postal", "place.postal_code", "text", {
    inputmode: "numeric",
    autocomplete: "postal-code",
  });
  npPostal.value = np?.postal_code ?? "";
  const npLocality = input("np-locality", "place.locality", "text", { autocomplete: "address-level2" });
  npLocality.value = np?.locality ?? "";
  const newBox = h(
    "div",
    { class: "place-new" },
    h("p", { class: "hint" }, t.newPlaceNote),
    field(npName, t.newPlaceName, undefined, { required: true, cls: "field--wide" }),
    field(npStreet, t.streetAddress, undefined, { cls: "field--wide" }),
    h(
      "div",
      { class: "form-row" },
      field(npPostal, t.postalCode, t.postalCodeHint, { cls: "field--narrow" }),
      field(npLocality, t.locality),
    ),
  );
  const online = input("online", "online_url", "url", { inputmode: "url" });
  online.value = init?.online_url ?? "";
  const placeFs = h(
    "fieldset",
    {},
    h("legend", {}, t.placeModeLegend),
    modeRadio("existing", t.placeModeExisting),
    modeRadio("new", t.placeModeNew),
    modeRadio("online", t.placeModeOnline),
  );
  const syncPlace = () => {
    const m = placeMode();
    existingBox.hidden = m !== "existing";
    newBox.hidden = m !== "new";
  };
  placeFs.addEventListener("change", syncPlace);
  const placeSection = section(
    "place",
    t.placeSection,
    placeFs,
    existingBox,
    newBox,
    field(online, t.onlineUrlLabel, t.urlHint, { cls: "field--wide" }),
  );

  // ---------- topics, audience, languages ----------
  const cats = new Set(init?.categories ?? []);
  const catBoxes = opts.categories.map((c) =>
    check(`cat-${c.slug}`, "categories", c.slug, c.name.text, cats.has(c.slug)),
  );
  const firstCat = catBoxes[0]?.querySelector("input");
  if (firstCat) firstCat.dataset.field = "categories";
  const catSection = section(
    "cats",
    t.categoriesSection,
    h(
      "fieldset",
      {},
      h("legend", {}, t.categoriesSection, h("span", { class: "hint-inline" }, ` – ${t.categoriesHint}`)),
      h("div", { class: "checks" }, ...catBoxes),
    ),
  );
  const minAge = input("min-age", "audience.min_age", "text", { inputmode: "numeric", autocomplete: "off" });
  minAge.value = init?.audience?.min_age?.toString() ?? "";
  const maxAge = input("max-age", "audience.max_age", "text", { inputmode: "numeric", autocomplete: "off" });
  maxAge.value = init?.audience?.max_age?.toString() ?? "";
  const langs = new Set<string>(init?.languages ?? []);
  const langBoxes = EVENT_LANGUAGES.map((l) =>
    check(`lang-${l}`, "languages", l, t.languageNames[l] ?? l, langs.has(l)),
  );
  langBoxes[0]!.querySelector("input")!.dataset.field = "languages";
  const audienceSection = section(
    "audience",
    t.audienceSection,
    h(
      "div",
      { class: "form-row" },
      field(minAge, t.minAgeLabel, undefined, { cls: "field--narrow" }),
      field(maxAge, t.maxAgeLabel, undefined, { cls: "field--narrow" }),
    ),
    h("fieldset", {}, h("legend", {}, t.languagesLegend), h("div", { class: "checks" }, ...langBoxes)),
  );

  // ---------- price ----------
  const isFree = h("input", { type: "checkbox", id: `${p}-free`, name: "is_free", "data-field": "is_free" });
  isFree.checked = init ? init.is_free !== false : false;
  const price = input("price", "price", "text");
  price.value = init?.price ? (init.price[lang] ?? Object.values(init.price).find(Boolean) ?? "") : "";
  const ticket = input("ticket", "ticket_url", "url", { inputmode: "url" });
  ticket.value = init?.ticket_url ?? "";
  const registration = input("registration", "registration_url", "url", { inputmode: "url" });
  registration.value = init?.registration_url ?? "";
  const priceField = field(price, t.priceLabel, t.priceHint, { cls: "field--wide" });
  const syncFree = () => {
    priceField.hidden = isFree.checked;
  };
  isFree.addEventListener("change", syncFree);
  syncFree();
  const priceSection = section(
    "price",
    t.priceSection,
    h("div", { class: "field field--check" }, isFree, h("label", { for: isFree.id }, t.isFreeLabel)),
    priceField,
    field(ticket, t.ticketUrlLabel, t.urlHint, { cls: "field--wide" }),
    field(registration, t.registrationUrlLabel, t.urlHint, { cls: "field--wide" }),
  );

  // ---------- image ----------
  const img = init?.image ?? null;
  const imageUrl = input("image-url", "image.url", "url", { inputmode: "url" });
  imageUrl.value = img?.url ?? "";
  const imageAlt = input("image-alt", "image.alt", "text");
  imageAlt.value = img?.alt ? (img.alt[lang] ?? Object.values(img.alt).find(Boolean) ?? "") : "";
  const licence = input("image-licence", "image.licence", "text");
  licence.value = img?.licence ?? "";
  const photographer = input("image-photographer", "image.photographer", "text");
  photographer.value = img?.photographer ?? "";
  const imageSection = section(
    "image",
    t.imageSection,
    field(imageUrl, t.imageUrlLabel, t.urlHint, { cls: "field--wide" }),
    field(imageAlt, t.imageAltLabel, t.imageAltHint, { cls: "field--wide" }),
    h(
      "div",
      { class: "form-row" },
      field(licence, t.imageLicenceLabel, t.imageLicenceHint),
      field(photographer, t.photographerLabel),
    ),
  );

  // ---------- accessibility ----------
  const a11y = new Set<string>(init?.accessibility ?? []);
  const a11yBoxes = ACCESSIBILITY.map((code) =>
    check(`a11y-${code}`, "accessibility", code, t.accessibilityFeatures[code] ?? code, a11y.has(code)),
  );
  a11yBoxes[0]!.querySelector("input")!.dataset.field = "accessibility";
  const a11ySection = section(
    "a11y",
    t.accessibilitySection,
    h(
      "fieldset",
      {},
      h(
        "legend",
        {},
        t.accessibilitySection,
        h("span", { class: "hint-inline" }, ` – ${t.accessibilityHint}`),
      ),
      h("div", { class: "checks" }, ...a11yBoxes),
    ),
  );

  const form = h(
    "form",
    { class: "event-form", novalidate: "", "aria-describedby": `${p}-intro` },
    ...(opts.before ?? []),
    textsSection,
    timeSection,
    placeSection,
    catSection,
    audienceSection,
    priceSection,
    imageSection,
    a11ySection,
    h("div", { class: "form-actions" }, ...opts.actions),
  );
  // Sync visibility once the radios are in the document (they are looked up by name).
  queueMicrotask(() => {
    syncRepeat();
    syncPlace();
  });
  // The error summary links to controls that may sit in a hidden tab: show that tab first.
  form.addEventListener(
    "click",
    (ev) => {
      const a = (ev.target as HTMLElement).closest?.(".error-summary a");
      const target = a ? document.getElementById((a.getAttribute("href") ?? "").slice(1)) : null;
      const panel = target?.closest<HTMLElement>('[role="tabpanel"]');
      if (panel?.hidden) select(panels.indexOf(panel), false);
    },
    true,
  );

  const checked = (name: string) =>
    [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((c) => c.value);
  const textOf = (ctl: HTMLInputElement | HTMLTextAreaElement) => ctl.value.trim();
  const localized = (get: (l: (typeof TEXT_LANGS)[number]) => string) => {
    const out: Record<string, string> = {};
    for (const l of TEXT_LANGS) {
      const v = get(l);
      if (v) out[l] = v;
    }
    return out;
  };
  const age = (ctl: HTMLInputElement, errors: FieldError[]): number | null => {
    const v = ctl.value.trim();
    if (!v) return null;
    if (!/^\d{1,3}$/.test(v) || Number(v) > 120) {
      errors.push({ path: ctl.dataset.field!, message: t.errAge });
      return null;
    }
    return Number(v);
  };

  /**
   * A text edited in one field (price, image text alternative) is the version the field showed
   * (the UI language's, else the first stored); the other languages' versions are kept.
   */
  const withLangText = (before: Partial<Record<string, string>> | undefined, text: string) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(before ?? {})) if (v) out[k] = v;
    // The field showed another language's text when the UI language had none: that one is edited.
    const target = out[lang] ? lang : (Object.keys(out)[0] ?? lang);
    if (text) out[target] = text;
    else delete out[target];
    return out;
  };

  function collect(): { input: EventInput; errors: FieldError[] } {
    const errors: FieldError[] = [];
    const err = (path: string, message: string) => errors.push({ path, message });
    // texts
    const anyTitle = TEXT_LANGS.some((l) => textOf(textControls[l]!.title) !== "");
    if (!anyTitle) err(`title.${lang}`, t.errTitleRequired);
    for (const l of TEXT_LANGS) {
      const c = textControls[l]!;
      if (textOf(c.title).length > LIMITS.title) err(`title.${l}`, t.errTooLong(LIMITS.title));
      if (textOf(c.short).length > LIMITS.short_description)
        err(`short_description.${l}`, t.errTooLong(LIMITS.short_description));
      if (textOf(c.desc).length > LIMITS.description)
        err(`description.${l}`, t.errTooLong(LIMITS.description));
    }
    // time
    const whole = allDay.checked;
    if (!isDate(startDate.value)) err("start", t.errDate);
    if (!whole && !isTime(startTime.value)) err("start_time", t.errTime);
    if (!isDate(endDate.value)) err("end", t.errDate);
    if (!whole && !isTime(endTime.value)) err("end_time", t.errTime);
    let startValue = "";
    let endValue = "";
    if (isDate(startDate.value) && isDate(endDate.value)) {
      if (whole) {
        startValue = startDate.value;
        endValue = endDate.value;
        if (endValue < startValue) err("end", t.errEndBeforeStart);
      } else if (isTime(startTime.value) && isTime(endTime.value)) {
        startValue = helsinkiInstant(startDate.value, startTime.value);
        endValue = helsinkiInstant(endDate.value, endTime.value);
        if (Date.parse(endValue) < Date.parse(startValue)) err("end", t.errEndBeforeStart);
      }
    }
    let rrule: string | null = null;
    const mode = repeatMode();
    if (mode === "weekly") {
      const days = checked("byday");
      if (days.length === 0) err("byday", t.errWeekdays);
      if (!isDate(until.value) || (isDate(startDate.value) && until.value < startDate.value))
        err("rrule", t.errUntil);
      else if (days.length > 0) {
        // Until the end of that day in Helsinki, as UTC (RFC 5545 with a zoned DTSTART): the
        // last second before the next day begins, as the server reads a date-only UNTIL.
        const u = new Date(allDayRange(until.value, until.value, TIME_ZONE).endsAt.getTime() - 1000);
        const s = u.toISOString();
        const stamp = `${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)}T${s.slice(11, 13)}${s.slice(14, 16)}${s.slice(17, 19)}Z`;
        rrule = `FREQ=WEEKLY;BYDAY=${days.join(",")};UNTIL=${stamp}`;
      }
    } else if (mode === "custom") {
      rrule = custom;
    }
    // place
    const pm = placeMode();
    const onlineUrl = online.value.trim();
    if (onlineUrl && !isUrl(onlineUrl)) err("online_url", t.errUrl);
    let placeId: string | null = null;
    let newPlace: EventInput["place"] = null;
    if (pm === "existing") {
      placeId = placeSelect.value || null;
      if (!placeId && !onlineUrl) err("place_id", t.errPlace);
    } else if (pm === "new") {
      const name = npName.value.trim();
      if (!name) err("place.name", t.errRequired);
      if (name.length > 200) err("place.name", t.errTooLong(200));
      const postal = npPostal.value.trim();
      if (postal && !/^\d{5}$/.test(postal)) err("place.postal_code", t.errPostal);
      newPlace = {
        name: { [lang]: name },
        ...(npStreet.value.trim() ? { street_address: npStreet.value.trim() } : {}),
        ...(postal ? { postal_code: postal } : {}),
        ...(npLocality.value.trim() ? { locality: npLocality.value.trim() } : {}),
      };
    } else if (!onlineUrl) {
      err("online_url", t.errUrl);
    }
    // topics, audience
    const categories = checked("categories");
    if (categories.length > 10) err("categories", t.errCategories);
    const min = age(minAge, errors);
    const max = age(maxAge, errors);
    if (min !== null && max !== null && min > max) err("audience.max_age", t.errAgeOrder);
    // price and links
    const priceText = isFree.checked ? "" : price.value.trim();
    if (priceText.length > LIMITS.price) err("price", t.errTooLong(LIMITS.price));
    for (const ctl of [ticket, registration]) {
      const v = ctl.value.trim();
      if (v && !isUrl(v)) err(ctl.dataset.field!, t.errUrl);
    }
    // image
    const url = imageUrl.value.trim();
    if (url && !isUrl(url)) err("image.url", t.errUrl);
    if (url && !imageAlt.value.trim()) err("image.alt", t.errImageAlt);
    if (imageAlt.value.trim().length > LIMITS.alt) err("image.alt", t.errTooLong(LIMITS.alt));

    const input: EventInput = {
      title: localized((l) => textOf(textControls[l]!.title)),
      short_description: localized((l) => textOf(textControls[l]!.short)),
      description: localized((l) => textOf(textControls[l]!.desc)),
      start: startValue,
      end: endValue,
      rrule,
      exdates: mode === "weekly" ? [...exdates].sort() : [],
      rdates: init?.rdates ?? [],
      place_id: placeId,
      place: newPlace,
      online_url: onlineUrl || null,
      categories,
      audience: { min_age: min, max_age: max },
      languages: checked("languages") as EventInput["languages"],
      is_free: isFree.checked,
      price: withLangText(init?.price, priceText),
      ticket_url: ticket.value.trim() || null,
      registration_url: registration.value.trim() || null,
      image: url
        ? {
            url,
            alt: withLangText(init?.image?.alt, imageAlt.value.trim()),
            licence: licence.value.trim() || null,
            photographer: photographer.value.trim() || null,
          }
        : null,
      accessibility: checked("accessibility") as EventInput["accessibility"],
      links: init?.links ?? [],
    };
    return { input, errors };
  }

  function mapPath(path: string): string {
    const x = path.replace(/^event\./, "");
    if (x === "title") return `title.${lang}`;
    if (x === "place_id" || x === "place") {
      const m = placeMode();
      return m === "new" ? "place.name" : m === "online" ? "online_url" : "place_id";
    }
    if (x.startsWith("place.name")) return "place.name";
    if (x.startsWith("price")) return "price";
    if (x.startsWith("image.alt")) return "image.alt";
    if (x.startsWith("rrule") || x.startsWith("exdates"))
      return repeatMode() === "weekly" ? "rrule" : "start";
    return x;
  }

  function markTabs(): void {
    filledMarks();
    const invalid = panels.findIndex((pn) => pn.querySelector('[aria-invalid="true"]'));
    if (invalid >= 0 && panels[invalid]!.hidden) {
      const current = panels.findIndex((pn) => !pn.hidden);
      if (!panels[current]?.querySelector('[aria-invalid="true"]')) select(invalid, false);
    }
  }
  for (const u of updaters) u();
  return { form, collect, mapPath, markTabs };
}
