/**
 * Topics and audience: the categories (at most 10), the age range, and the languages spoken at
 * the event. Two sections of the form, built and collected together.
 */
import { EVENT_LANGUAGES } from "../../../../src/contract/codes.ts";
import type { FieldError } from "../../lib/api-client.ts";
import { h } from "../../lib/dom.ts";
import type { CategoryOption, EventInput, FormKit, Section } from "./kit.ts";

export interface AudienceSections extends Section<Pick<EventInput, "categories" | "audience" | "languages">> {
  /** The topics section (the categories). */
  categories: HTMLElement;
  /** The audience section (ages, languages): `element`. */
  element: HTMLElement;
}

export function audienceSections(k: FormKit, categories: CategoryOption[]): AudienceSections {
  const { t, init } = k;
  const cats = new Set(init?.categories ?? []);
  const catBoxes = categories.map((c) =>
    k.check(`cat-${c.slug}`, "categories", c.slug, c.name.text, cats.has(c.slug)),
  );
  const firstCat = catBoxes[0]?.querySelector("input");
  if (firstCat) firstCat.dataset.field = "categories";
  const catSection = k.section(
    "cats",
    t.categoriesSection,
    h(
      "fieldset",
      {},
      h("legend", {}, t.categoriesSection, h("span", { class: "hint-inline" }, ` – ${t.categoriesHint}`)),
      h("div", { class: "checks" }, ...catBoxes),
    ),
  );
  const minAge = k.input("min-age", "audience.min_age", "text", {
    inputmode: "numeric",
    autocomplete: "off",
  });
  minAge.value = init?.audience?.min_age?.toString() ?? "";
  const maxAge = k.input("max-age", "audience.max_age", "text", {
    inputmode: "numeric",
    autocomplete: "off",
  });
  maxAge.value = init?.audience?.max_age?.toString() ?? "";
  const langs = new Set<string>(init?.languages ?? []);
  const langBoxes = EVENT_LANGUAGES.map((l) =>
    k.check(`lang-${l}`, "languages", l, t.languageNames[l] ?? l, langs.has(l)),
  );
  langBoxes[0]!.querySelector("input")!.dataset.field = "languages";
  const audienceSection = k.section(
    "audience",
    t.audienceSection,
    h(
      "div",
      { class: "form-row" },
      k.field(minAge, t.minAgeLabel, undefined, { cls: "field--narrow" }),
      k.field(maxAge, t.maxAgeLabel, undefined, { cls: "field--narrow" }),
    ),
    h("fieldset", {}, h("legend", {}, t.languagesLegend), h("div", { class: "checks" }, ...langBoxes)),
  );

  const age = (ctl: HTMLInputElement, errors: FieldError[]): number | null => {
    const v = ctl.value.trim();
    if (!v) return null;
    if (!/^\d{1,3}$/.test(v) || Number(v) > 120) {
      errors.push({ path: ctl.dataset.field!, message: t.errAge });
      return null;
    }
    return Number(v);
  };

  return {
    categories: catSection,
    element: audienceSection,
    collect(errors) {
      const categories = k.checked(catSection, "categories");
      if (categories.length > 10) errors.push({ path: "categories", message: t.errCategories });
      const min = age(minAge, errors);
      const max = age(maxAge, errors);
      if (min !== null && max !== null && min > max)
        errors.push({ path: "audience.max_age", message: t.errAgeOrder });
      return {
        categories,
        audience: { min_age: min, max_age: max },
        languages: k.checked(audienceSection, "languages") as EventInput["languages"],
      };
    },
  };
}
