/** Picking a text in the requested language, falling back requested → fi → sv → en. */
import { LOCALES, type Locale, type LocalizedText } from "../contract/codes.ts";

export interface PickedText {
  lang: Locale;
  text: string;
}

export function pickText(text: LocalizedText | null | undefined, lang: Locale): PickedText | null {
  if (!text) return null;
  for (const l of [lang, ...LOCALES]) {
    const value = text[l];
    if (value && value.trim() !== "") return { lang: l, text: value };
  }
  return null;
}
