/** Fixed feed texts in fi, sv and en. */
import type { Locale } from "../contract/codes.ts";

const TEXTS = {
  cancelledPrefix: { fi: "PERUTTU: ", sv: "INSTÄLLT: ", en: "CANCELLED: " },
  postponedPrefix: { fi: "SIIRRETTY: ", sv: "UPPSKJUTET: ", en: "POSTPONED: " },
  description: {
    fi: "Julkiset tapahtumat: {site}. Päivittyy automaattisesti.",
    sv: "Offentliga evenemang: {site}. Uppdateras automatiskt.",
    en: "Public events: {site}. Updates automatically.",
  },
  truncated: {
    fi: "Syötteessä on {shown} lähintä tapahtumaa, ja osumia on enemmän. Rajaa syötettä (luokka, paikka, järjestäjä) saadaksesi kaikki.",
    sv: "Flödet visar de {shown} närmaste evenemangen, och fler matchar. Avgränsa flödet (kategori, plats, arrangör) för att få alla.",
    en: "This feed shows the {shown} soonest events, and more match. Narrow it (category, place, organiser) to get them all.",
  },
  newEvents: {
    fi: "Uudet tapahtumat",
    sv: "Nya evenemang",
    en: "New events",
  },
  moreInfo: { fi: "Lisätietoja", sv: "Mer information", en: "More information" },
} as const;

export type FeedTextKey = keyof typeof TEXTS;

export function feedText(key: FeedTextKey, lang: Locale, vars: Record<string, string | number> = {}): string {
  return TEXTS[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ""));
}
