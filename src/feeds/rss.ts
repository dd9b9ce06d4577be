/**
 * The RSS 2.0 builder: newly published upcoming events, newest first, with an
 * atom:link to itself. Every text is XML-escaped and stripped of characters XML 1.0
 * forbids; the same items always give the same bytes.
 */
import type { Locale, LocalizedText } from "../contract/codes.ts";
import { pickText } from "../domain/i18n-text.ts";
import { cleanText } from "./clean-text.ts";
import { feedText } from "./texts.ts";
import type { FeedEvent, FeedMeta } from "./types.ts";

export function xmlEscape(s: string): string {
  return cleanText(s).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const LOCALE_TAG: Record<Locale, string> = { fi: "fi-FI", sv: "sv-FI", en: "en-GB" };

function text(t: LocalizedText, lang: Locale): string {
  return pickText(t, lang)?.text ?? "";
}

/** "ti 20.10.2026 klo 18.00" etc., in the event's own zone. */
function when(e: FeedEvent, lang: Locale): string {
  const fmt = new Intl.DateTimeFormat(LOCALE_TAG[lang], {
    timeZone: e.timezone,
    weekday: "short",
    day: "numeric",
    month: "numeric",
    year: "numeric",
    ...(e.allDay ? {} : { hour: "2-digit", minute: "2-digit" }),
  });
  return fmt.format(e.startsAt);
}

export function buildRss(events: FeedEvent[], meta: FeedMeta): string {
  const el = (name: string, value: string) => `<${name}>${xmlEscape(value)}</${name}>`;
  const items = events.map((e) => {
    const url = e.url;
    let title = text(e.title, meta.lang);
    if (e.eventStatus === "cancelled") title = feedText("cancelledPrefix", meta.lang) + title;
    const place = e.place ? text(e.place.name, meta.lang) : "";
    const summary = [when(e, meta.lang), place, text(e.shortDescription, meta.lang)]
      .filter(Boolean)
      .join(" · ");
    return [
      "<item>",
      el("title", title),
      el("link", url),
      `<guid isPermaLink="false">${xmlEscape(`${e.id}@${new URL(meta.publicUrl).host}`)}</guid>`,
      el("pubDate", (e.publishedAt ?? e.createdAt).toUTCString()),
      el("description", summary),
      ...e.categories.map((c) => el("category", text(c.name, meta.lang) || c.slug)),
      "</item>",
    ].join("\n");
  });
  const newest = events.reduce<Date | null>((m, e) => {
    const d = e.publishedAt ?? e.createdAt;
    return !m || d > m ? d : m;
  }, null);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    "<channel>",
    el("title", `${meta.name} – ${feedText("newEvents", meta.lang)}`),
    el("link", meta.publicUrl),
    el("description", feedText("description", meta.lang, { site: meta.siteName })),
    el("language", LOCALE_TAG[meta.lang].toLowerCase()),
    `<atom:link href="${xmlEscape(meta.selfUrl)}" rel="self" type="application/rss+xml"/>`,
    ...(newest ? [el("lastBuildDate", newest.toUTCString())] : []),
    "<ttl>60</ttl>",
    ...items,
    "</channel>",
    "</rss>",
    "",
  ].join("\n");
}
