/** The image section: an image address, its text alternative (required with an image), licence and photographer. */
import { h } from "../../lib/dom.ts";
import {
  type EventInput,
  type FormKit,
  isUrl,
  LIMITS,
  type Section,
  shownText,
  withLangText,
} from "./kit.ts";

export function imageSection(k: FormKit): Section<Pick<EventInput, "image">> {
  const { t, lang, init } = k;
  const img = init?.image ?? null;
  const imageUrl = k.input("image-url", "image.url", "url", { inputmode: "url" });
  imageUrl.value = img?.url ?? "";
  const imageAlt = k.input("image-alt", "image.alt", "text");
  imageAlt.value = shownText(img?.alt, lang);
  const licence = k.input("image-licence", "image.licence", "text");
  licence.value = img?.licence ?? "";
  const photographer = k.input("image-photographer", "image.photographer", "text");
  photographer.value = img?.photographer ?? "";
  const element = k.section(
    "image",
    t.imageSection,
    k.field(imageUrl, t.imageUrlLabel, t.urlHint, { cls: "field--wide" }),
    k.field(imageAlt, t.imageAltLabel, t.imageAltHint, { cls: "field--wide" }),
    h(
      "div",
      { class: "form-row" },
      k.field(licence, t.imageLicenceLabel, t.imageLicenceHint),
      k.field(photographer, t.photographerLabel),
    ),
  );

  return {
    element,
    collect(errors) {
      const err = (path: string, message: string) => errors.push({ path, message });
      const url = imageUrl.value.trim();
      if (url && !isUrl(url)) err("image.url", t.errUrl);
      if (url && !imageAlt.value.trim()) err("image.alt", t.errImageAlt);
      if (imageAlt.value.trim().length > LIMITS.alt) err("image.alt", t.errTooLong(LIMITS.alt));
      return {
        image: url
          ? {
              url,
              alt: withLangText(lang, init?.image?.alt, imageAlt.value.trim()),
              licence: licence.value.trim() || null,
              photographer: photographer.value.trim() || null,
            }
          : null,
      };
    },
  };
}
