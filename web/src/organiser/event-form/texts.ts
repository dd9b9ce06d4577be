/**
 * The texts section: title, short description and description in fi, sv and en behind WAI-ARIA
 * tabs (arrow keys, Home and End move between them), with character counters, a ✓ on tabs
 * with text and a ⚠ on tabs with an invalid control.
 */
import { h } from "../../lib/dom.ts";
import { type EventInput, type FormKit, LIMITS, type Section, TEXT_LANGS } from "./kit.ts";

type TextLang = (typeof TEXT_LANGS)[number];

export interface TextsSection
  extends Section<Pick<EventInput, "title" | "short_description" | "description">> {
  /** Marks the tabs (filled, invalid) and shows an invalid panel when the current one has no error. */
  markTabs(): void;
  /** Shows the tab whose panel holds `target` (an error summary link may point into a hidden one). */
  reveal(target: Element | null): void;
}

export function textsSection(k: FormKit): TextsSection {
  const { p, t, lang, init } = k;
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
    const title = k.input(`title-${l}`, `title.${l}`, "text", { lang: l, autocomplete: "off" });
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
    const titleField = k.field(title, t.titleLabel, undefined, { cls: "field--wide" });
    titleField.appendChild(titleCount.out);
    title.setAttribute("aria-describedby", titleCount.out.id);
    const shortField = k.field(short, t.shortDescriptionLabel, t.shortDescriptionHint, {
      cls: "field--wide",
    });
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
        k.field(desc, t.descriptionLabel, undefined, { cls: "field--wide" }),
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
  const element = k.section(
    "texts",
    t.textsSection,
    h("p", { class: "hint", id: `${p}-texts-hint` }, t.textsHint),
    h("div", { class: "tabs" }, tablist, ...panels),
  );
  element.addEventListener("input", filledMarks);
  filledMarks();
  for (const u of updaters) u();

  const textOf = (ctl: HTMLInputElement | HTMLTextAreaElement) => ctl.value.trim();
  const localized = (get: (l: TextLang) => string) => {
    const out: Record<string, string> = {};
    for (const l of TEXT_LANGS) {
      const v = get(l);
      if (v) out[l] = v;
    }
    return out;
  };

  return {
    element,
    collect(errors) {
      const err = (path: string, message: string) => errors.push({ path, message });
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
      return {
        title: localized((l) => textOf(textControls[l]!.title)),
        short_description: localized((l) => textOf(textControls[l]!.short)),
        description: localized((l) => textOf(textControls[l]!.desc)),
      };
    },
    markTabs() {
      filledMarks();
      const invalid = panels.findIndex((pn) => pn.querySelector('[aria-invalid="true"]'));
      if (invalid >= 0 && panels[invalid]!.hidden) {
        const current = panels.findIndex((pn) => !pn.hidden);
        if (!panels[current]?.querySelector('[aria-invalid="true"]')) select(invalid, false);
      }
    },
    reveal(target) {
      const panel = target?.closest<HTMLElement>('[role="tabpanel"]');
      if (panel?.hidden) select(panels.indexOf(panel), false);
    },
  };
}
