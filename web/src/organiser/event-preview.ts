/**
 * Preview of an event before it is sent: the same layout and classes as the public event
 * page (web/src/resident/event-page.ts), drawn from the form's EventInput and the reference lists.
 */
import type { Lang } from "../../../src/contract/i18n/resident.ts";
import { h } from "../lib/dom.ts";
import { formatEventTime } from "../lib/format.ts";
import type { CategoryOption, EventInput, PlaceOption, T } from "./event-form.ts";
import { TEXT_LANGS } from "./event-form.ts";

type Texts = Partial<Record<string, string>> | undefined;

/** The text in the UI language, else fi → sv → en, with the language it is in. */
function pick(x: Texts, lang: Lang): { text: string; lang: string } | null {
  for (const l of [lang, ...TEXT_LANGS]) {
    const v = x?.[l];
    if (v) return { text: v, lang: l };
  }
  return null;
}

const langOf = (x: { lang: string } | null, lang: Lang) => (x && x.lang !== lang ? { lang: x.lang } : {});

const fact = (label: string, ...value: (Node | string | null)[]) =>
  h("div", { class: "event-facts__row" }, h("dt", {}, label), h("dd", {}, ...value));

/** Renders the preview of `e` (headings start at `level`, h2 by default). */
export function renderPreview(
  e: EventInput,
  ctx: {
    lang: Lang;
    t: T;
    places: PlaceOption[];
    categories: CategoryOption[];
    organisation?: string | null;
    /** Heading level of the title (2 by default). */
    level?: 2 | 3;
  },
): HTMLElement {
  const { lang, t } = ctx;
  const title = pick(e.title, lang);
  const lead = pick(e.short_description, lang);
  const desc = pick(e.description, lang);
  const place = e.place_id ? ctx.places.find((p) => p.id === e.place_id) : null;
  const newPlace = e.place ? pick(e.place.name, lang) : null;
  const allDay = e.start.length === 10;
  const when = formatEventTime({ start: e.start, end: e.end, all_day: allDay }, lang, t);
  const cats = (e.categories ?? [])
    .map((slug) => ctx.categories.find((c) => c.slug === slug))
    .filter((c): c is CategoryOption => Boolean(c));
  const a11y = [...new Set([...(e.accessibility ?? []), ...(place?.accessibility ?? [])])];
  const min = e.audience?.min_age ?? null;
  const max = e.audience?.max_age ?? null;
  const price = pick(e.price, lang);
  const alt = e.image ? pick(e.image.alt, lang) : null;
  const placeNode = place
    ? h(
        "span",
        { class: "place" },
        h("span", { class: "place__name" }, place.name.text),
        place.street_address
          ? h(
              "span",
              { class: "place__address" },
              [place.street_address, [place.postal_code, place.locality].filter(Boolean).join(" ")]
                .filter(Boolean)
                .join(", "),
            )
          : null,
        place.village ? h("span", { class: "place__village" }, place.village.name) : null,
      )
    : newPlace && e.place
      ? h(
          "span",
          { class: "place" },
          h("span", { class: "place__name", ...langOf(newPlace, lang) }, newPlace.text),
          h(
            "span",
            { class: "place__address" },
            [e.place.street_address, [e.place.postal_code, e.place.locality].filter(Boolean).join(" ")]
              .filter(Boolean)
              .join(", "),
          ),
        )
      : null;
  const repeat = e.rrule
    ? h(
        "p",
        { class: "hint" },
        `${t.repeatWeekly}${e.exdates?.length ? ` · ${t.exceptLegend}: ${e.exdates.map((d) => d.split("-").reverse().join(".")).join(", ")}` : ""}`,
      )
    : null;
  return h(
    "article",
    { class: "event-page event-preview__page" },
    h(
      ctx.level === 3 ? "h3" : "h2",
      { class: "event-preview__title", ...langOf(title, lang) },
      title?.text ?? "",
    ),
    lead ? h("p", { class: "event-page__lead", ...langOf(lead, lang) }, lead.text) : null,
    h(
      "div",
      { class: "event-page__main" },
      e.image
        ? h(
            "figure",
            { class: "event-page__figure" },
            h("img", {
              src: e.image.url,
              alt: alt?.text ?? "",
              width: "960",
              height: "540",
              decoding: "async",
            }),
            e.image.photographer || e.image.licence
              ? h(
                  "figcaption",
                  {},
                  `${t.imageBy}: ${[e.image.photographer, e.image.licence].filter(Boolean).join(", ")}`,
                )
              : null,
          )
        : null,
      h(
        "dl",
        { class: "event-facts" },
        fact(t.timeLabel, h("span", {}, when), repeat),
        placeNode ? fact(t.placeLabel, placeNode) : null,
        e.online_url ? fact(t.onlineLabel, e.online_url) : null,
        ctx.organisation ? fact(t.organiserLabel, ctx.organisation) : null,
        e.is_free || price
          ? fact(
              t.priceLabel,
              e.is_free ? h("span", { class: "tag tag--free" }, t.free) : null,
              !e.is_free && price ? h("span", langOf(price, lang), price.text) : null,
            )
          : null,
        e.registration_url ? fact(t.registrationLink, e.registration_url) : null,
        e.ticket_url ? fact(t.ticketsLink, e.ticket_url) : null,
        min !== null || max !== null ? fact(t.audienceLabel, t.ageRange(min, max)) : null,
        e.languages?.length
          ? fact(t.languagesLabel, e.languages.map((l) => t.languageNames[l] ?? l).join(", "))
          : null,
        a11y.length
          ? fact(
              t.accessibilityLabel,
              h(
                "ul",
                { class: "plain-list" },
                ...a11y.map((c) => h("li", {}, t.accessibilityFeatures[c] ?? c)),
              ),
            )
          : null,
        cats.length
          ? fact(
              t.categoriesLabel,
              h("ul", { class: "tag-list" }, ...cats.map((c) => h("li", { class: "tag" }, c.name.text))),
            )
          : null,
      ),
      desc
        ? h(
            "div",
            { class: "event-page__description", ...langOf(desc, lang) },
            ...desc.text.split(/\n{2,}/).map((para) => h("p", {}, para)),
          )
        : null,
    ),
  );
}
