/**
 * Event page /tapahtumat/{id}: the server already put the title, time, place, JSON-LD
 * and Open Graph tags into the HTML; this script loads every detail from the API and
 * renders the full page: status banner, image, place with an OpenStreetMap link,
 * organiser, price, tickets/registration, accessibility, add-to-calendar and share.
 */

import { statusBanner } from "../../../src/contract/i18n/resident.ts";
import { ApiError, type EventDetail, getJson, type LangText } from "../lib/api.ts";
import { applyChrome, langAttr } from "../lib/common.ts";
import { byId, copyText, h } from "../lib/dom.ts";
import { formatEventTime } from "../lib/format.ts";
import { appPathname, sitePath } from "../lib/site.ts";
import { singleEventLinks } from "./feeds.ts";

const { lang, t } = applyChrome();
const root = byId<HTMLDivElement>("event-root");
const statusEl = byId<HTMLParagraphElement>("event-status");
const id = decodeURIComponent(appPathname().split("/").filter(Boolean)[1] ?? "");

const text = (x: LangText | null | undefined, cls?: string, tag: "p" | "span" = "span") =>
  x?.text ? h(tag, { ...(cls ? { class: cls } : {}), ...langAttr(x, lang) }, x.text) : null;

const newWindow = () => h("span", { class: "visually-hidden" }, ` ${t.opensNewWindow}`);

const fact = (label: string, ...value: (Node | string | null)[]) =>
  h("div", { class: "event-facts__row" }, h("dt", {}, label), h("dd", {}, ...value));

/** Only http(s) links from event data become clickable (no javascript: or data: URLs). */
const safeUrl = (url: string | null | undefined): string | null => {
  if (!url) return null;
  try {
    const u = new URL(url, location.href);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
};

function banner(e: EventDetail): HTMLElement | null {
  const msg = statusBanner(e.event_status, t);
  if (!msg) return null;
  return h(
    "p",
    { class: `status-banner status-banner--${e.event_status}`, role: "status" },
    h("span", { class: "status-banner__icon", "aria-hidden": "true" }, "!"),
    h("strong", {}, msg),
  );
}

function placeBlock(e: EventDetail): Node | null {
  const p = e.place;
  if (!p) return null;
  const address = [p.street_address, [p.postal_code, p.locality ?? p.municipality].filter(Boolean).join(" ")]
    .filter((x) => x && x.trim() !== "")
    .join(", ");
  const osm =
    p.lat !== null && p.lon !== null
      ? `https://www.openstreetmap.org/?mlat=${p.lat}&mlon=${p.lon}#map=17/${p.lat}/${p.lon}`
      : address
        ? `https://www.openstreetmap.org/search?query=${encodeURIComponent(`${p.name.text}, ${address}`)}`
        : null;
  return h(
    "span",
    { class: "place" },
    h("span", { class: "place__name", ...langAttr(p.name, lang) }, p.name.text),
    address ? h("span", { class: "place__address" }, address) : null,
    p.village ? h("span", { class: "place__village" }, p.village.name) : null,
    osm
      ? h("a", { href: osm, class: "place__map", target: "_blank", rel: "noopener" }, t.mapLink, newWindow())
      : null,
  );
}

function calendarBlock(e: EventDetail): HTMLElement {
  const placeText = e.place
    ? [e.place.name.text, e.place.street_address, e.place.locality].filter(Boolean).join(", ")
    : (e.online_url ?? "");
  const links = singleEventLinks({
    title: e.title.text,
    start: e.start,
    end: e.end,
    all_day: e.all_day,
    location: placeText,
    details: `${e.short_description?.text ?? ""}\n\n${e.url}`.trim(),
  });
  const share = h("button", { type: "button", class: "button button--secondary", id: "share" }, t.share);
  share.addEventListener("click", async () => {
    const data = { title: e.title.text, url: location.href };
    if (typeof navigator.share === "function") {
      try {
        await navigator.share(data);
        return;
      } catch (err) {
        if (err instanceof DOMException && err.name === "AbortError") return;
      }
    }
    const ok = await copyText(location.href);
    statusEl.textContent = ok ? t.linkCopied : t.copyFailed;
    statusEl.classList.toggle("visually-hidden", false);
  });
  return h(
    "section",
    { class: "event-actions", "aria-labelledby": "actions-heading" },
    h("h2", { id: "actions-heading" }, t.addToCalendar),
    h(
      "ul",
      { class: "event-actions__list" },
      h(
        "li",
        {},
        h(
          "a",
          {
            class: "button",
            href: sitePath(`/feeds/events/${encodeURIComponent(e.id)}.ics`),
            download: `${e.id}.ics`,
            id: "ics-link",
          },
          t.downloadIcs,
        ),
      ),
      h(
        "li",
        {},
        h(
          "a",
          { class: "button button--secondary", href: links.google, target: "_blank", rel: "noopener" },
          t.addGoogle,
          newWindow(),
        ),
      ),
      h(
        "li",
        {},
        h(
          "a",
          { class: "button button--secondary", href: links.outlook, target: "_blank", rel: "noopener" },
          t.addOutlook,
          newWindow(),
        ),
      ),
      h("li", {}, share),
    ),
  );
}

function render(e: EventDetail): void {
  const when = formatEventTime(e, lang, t);
  document.title = `${e.title.text} – ${t.siteName}`;
  const ticket = safeUrl(e.offers.ticket_url);
  const registration = safeUrl(e.offers.registration_url);
  const online = safeUrl(e.online_url);
  const org = e.organisation;
  const orgSite = safeUrl(org?.website);
  const a11y = [...new Set([...e.accessibility, ...(e.place?.accessibility ?? [])])];
  const audience =
    e.audience.min_age !== null || e.audience.max_age !== null
      ? t.ageRange(e.audience.min_age, e.audience.max_age)
      : null;
  const image =
    e.image && safeUrl(e.image.url)
      ? h(
          "figure",
          { class: "event-page__figure" },
          h("img", {
            src: safeUrl(e.image.url),
            alt: e.image.alt?.text ?? "",
            ...(e.image.alt && e.image.alt.lang !== lang ? { lang: e.image.alt.lang } : {}),
            loading: "lazy",
            decoding: "async",
            width: "960",
            height: "540",
          }),
          e.image.photographer || e.image.licence
            ? h(
                "figcaption",
                {},
                `${t.imageBy}: ${[e.image.photographer, e.image.licence].filter(Boolean).join(", ")}`,
              )
            : null,
        )
      : null;
  const article = h(
    "article",
    { class: "event-page" },
    banner(e),
    h("h1", { id: "event-title", ...langAttr(e.title, lang), tabindex: "-1" }, e.title.text),
    text(e.short_description, "event-page__lead", "p"),
    h(
      "div",
      { class: "event-page__layout" },
      h(
        "div",
        { class: "event-page__main" },
        image,
        h(
          "dl",
          { class: "event-facts" },
          fact(t.timeLabel, h("time", { datetime: e.start }, when)),
          e.place ? fact(t.placeLabel, placeBlock(e)) : null,
          online ? fact(t.onlineLabel, h("a", { href: online }, online)) : null,
          org ? fact(t.organiserLabel, orgSite ? h("a", { href: orgSite }, org.name) : org.name) : null,
          fact(
            t.priceLabel,
            e.offers.is_free ? h("span", { class: "tag tag--free" }, t.free) : null,
            !e.offers.is_free || e.offers.price ? text(e.offers.price) : null,
          ),
          ticket || registration
            ? fact(
                ticket ? t.ticketsLink : t.registrationLink,
                ...[
                  ticket
                    ? h("a", { href: ticket, target: "_blank", rel: "noopener" }, t.buyTickets, newWindow())
                    : null,
                  ticket && registration ? " · " : null,
                  registration
                    ? h(
                        "a",
                        { href: registration, target: "_blank", rel: "noopener" },
                        t.registrationLink,
                        newWindow(),
                      )
                    : null,
                ],
              )
            : null,
          audience ? fact(t.audienceLabel, audience) : null,
          e.languages.length > 0
            ? fact(t.languagesLabel, e.languages.map((l) => t.languageNames[l] ?? l).join(", "))
            : null,
          a11y.length > 0
            ? fact(
                t.accessibilityLabel,
                h(
                  "ul",
                  { class: "plain-list" },
                  ...a11y.map((code) => h("li", {}, t.accessibilityFeatures[code] ?? code)),
                ),
              )
            : null,
          e.categories.length > 0
            ? fact(
                t.categoriesLabel,
                h(
                  "ul",
                  { class: "tag-list" },
                  ...e.categories.map((c) =>
                    h("li", { class: "tag", ...langAttr(c.name, lang) }, c.name.text),
                  ),
                ),
              )
            : null,
        ),
        e.description?.text
          ? h(
              "div",
              { class: "event-page__description", ...langAttr(e.description, lang) },
              ...e.description.text.split(/\n{2,}/).map((para) => h("p", {}, para)),
            )
          : null,
        e.links.length > 0
          ? h(
              "section",
              { "aria-labelledby": "links-heading" },
              h("h2", { id: "links-heading" }, t.linksLabel),
              h(
                "ul",
                {},
                ...e.links.map((l) => {
                  const url = safeUrl(l.url);
                  return url
                    ? h("li", {}, h("a", { href: url, ...langAttr(l.label, lang) }, l.label?.text ?? url))
                    : null;
                }),
              ),
            )
          : null,
        e.occurrences.length > 1
          ? h(
              "section",
              { "aria-labelledby": "dates-heading" },
              h("h2", { id: "dates-heading" }, t.otherDates),
              h(
                "ul",
                { class: "plain-list" },
                ...e.occurrences
                  .slice(0, 20)
                  .map((o) =>
                    h(
                      "li",
                      {},
                      h(
                        "time",
                        { datetime: o.start },
                        formatEventTime({ ...o, all_day: e.all_day }, lang, t),
                      ),
                    ),
                  ),
              ),
            )
          : null,
      ),
      calendarBlock(e),
    ),
  );
  root.replaceChildren(article);
}

async function load(): Promise<void> {
  if (!id) return;
  root.setAttribute("aria-busy", "true");
  try {
    const e = await getJson<EventDetail>(`/api/v1/events/${encodeURIComponent(id)}?lang=${lang}`);
    render(e);
  } catch (err) {
    // The server-rendered basics stay; say what failed.
    const detail = err instanceof ApiError ? (err.detail ?? err.title ?? `HTTP ${err.status}`) : null;
    root.appendChild(
      h(
        "div",
        { class: "notice notice--error", role: "alert" },
        h("p", { class: "notice__title" }, t.eventLoadError),
        detail ? h("p", {}, detail) : null,
      ),
    );
  } finally {
    root.setAttribute("aria-busy", "false");
  }
}

void load();
