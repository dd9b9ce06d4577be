/**
 * <kuntakalenteri-events>: the embeddable event list. One script tag on any site:
 *
 *   <script src="https://tapahtumat.example.fi/embed.js" type="module"></script>
 *   <kuntakalenteri-events category="kirjasto" limit="5" lang="sv">
 *     <a href="https://tapahtumat.example.fi/?category=kirjasto&lang=sv">Bibliotekets evenemang</a>
 *   </kuntakalenteri-events>
 *
 * The element's own content (the link) is what visitors without JavaScript see. With
 * JavaScript it shows the next events in a shadow root that inherits the host page's
 * font and colours. Data comes from the public API of the site that served this
 * script (CORS is open for GETs). Attributes: category, village, place, organisation,
 * q, free ("true"), age, limit (1–20, default 5), lang (fi | sv | en).
 */

import { isLang, MESSAGES } from "../../../src/contract/i18n/resident.ts";
import { eventDays, formatDay, formatWhen, type Ymd } from "../lib/format.ts";

interface EmbedEvent {
  event_id: string;
  title: { lang: string; text: string };
  start: string;
  end: string | null;
  all_day: boolean;
  event_status: string;
  place?: { name: { lang: string; text: string } } | null;
}

/**
 * The site the script was loaded from, with its path prefix: a municipality served under
 * /<slug> is embedded as <script src="https://host/<slug>/embed.js">, and its events, API and
 * pages are under that prefix.
 */
const ORIGIN = new URL(".", import.meta.url).href.replace(/\/$/, "");

const CSS = `
:host { display: block; font: inherit; color: inherit; }
ul { list-style: none; margin: 0; padding: 0; }
li { padding: 0.5em 0; border-bottom: 1px solid color-mix(in srgb, currentColor 25%, transparent); }
a { color: inherit; }
.when { display: block; font-size: 0.9em; }
.place { display: block; font-size: 0.9em; }
.status { font-weight: 700; }
.more { display: inline-block; margin-top: 0.5em; }
`;

let sheet: CSSStyleSheet | null = null;
function styles(): CSSStyleSheet | null {
  if (sheet) return sheet;
  try {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  } catch {
    sheet = null;
  }
  return sheet;
}

const PASS = ["category", "village", "place", "organisation", "q", "age"] as const;

export class KuntakalenteriEvents extends HTMLElement {
  static observedAttributes = [...PASS, "free", "limit", "lang"];
  #root: ShadowRoot | null = null;
  #abort: AbortController | null = null;

  connectedCallback(): void {
    this.#root ??= this.attachShadow({ mode: "open" });
    const s = styles();
    if (s) this.#root.adoptedStyleSheets = [s];
    void this.#load();
  }

  disconnectedCallback(): void {
    this.#abort?.abort();
  }

  attributeChangedCallback(): void {
    if (this.#root) void this.#load();
  }

  async #load(): Promise<void> {
    const root = this.#root;
    if (!root) return;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    const langAttr = this.getAttribute("lang");
    const lang = isLang(langAttr) ? langAttr : "fi";
    const t = MESSAGES[lang];
    const limit = Math.min(20, Math.max(1, Number(this.getAttribute("limit")) || 5));
    const query = new URLSearchParams({ limit: String(limit), lang });
    for (const name of PASS) {
      const value = this.getAttribute(name);
      if (value) query.set(name, value);
    }
    if (this.getAttribute("free") === "true") query.set("is_free", "true");
    const pageQuery = new URLSearchParams();
    for (const name of ["category", "village", "place", "q"] as const) {
      const value = this.getAttribute(name);
      if (value) pageQuery.set(name, value);
    }
    pageQuery.set("lang", lang);
    const more = `${ORIGIN}/${pageQuery.size ? `?${pageQuery}` : ""}`;
    const el = <K extends keyof HTMLElementTagNameMap>(
      tag: K,
      attrs: Record<string, string>,
      ...kids: (Node | string | null)[]
    ) => {
      const node = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
      for (const kid of kids)
        if (kid) node.appendChild(typeof kid === "string" ? document.createTextNode(kid) : kid);
      return node;
    };
    try {
      const res = await fetch(`${ORIGIN}/api/v1/events?${query}`, {
        signal: abort.signal,
        headers: { Accept: "application/json" },
      });
      if (!res.ok) throw new Error(String(res.status));
      const body = (await res.json()) as { data: EmbedEvent[] };
      const items = body.data.map((ev) => {
        const days = eventDays(ev);
        const day: Ymd | null = days ? days.first : null;
        const status =
          ev.event_status === "cancelled"
            ? t.cancelled
            : ev.event_status === "postponed"
              ? t.postponed
              : null;
        const href = `${ORIGIN}/tapahtumat/${encodeURIComponent(ev.event_id)}?lang=${lang}`;
        return el(
          "li",
          {},
          el(
            "time",
            { class: "when", datetime: ev.start },
            day ? `${formatDay(day, lang, t)} ${formatWhen(ev, lang, t)}` : "",
          ),
          status ? el("span", { class: "status" }, `${status}: `) : null,
          el("a", { href, ...(ev.title.lang !== lang ? { lang: ev.title.lang } : {}) }, ev.title.text),
          ev.place ? el("span", { class: "place" }, ev.place.name.text) : null,
        );
      });
      root.replaceChildren(
        items.length ? el("ul", {}, ...items) : el("p", {}, t.empty),
        el("a", { class: "more", href: more }, t.embedMore),
      );
    } catch (err) {
      if (abort.signal.aborted) return;
      // Fall back to the element's own content (the no-JS link).
      root.replaceChildren(
        el("slot", {}),
        el("p", {}, `${t.loadError} `),
        el("a", { href: more }, t.embedMore),
      );
      void err;
    }
  }
}

if (!customElements.get("kuntakalenteri-events"))
  customElements.define("kuntakalenteri-events", KuntakalenteriEvents);
