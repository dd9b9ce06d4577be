/**
 * The event form shared by /ilmoita (new), /omat/tapahtumat/:id and /ilmoita/omat (edit),
 * assembled from one module per section under event-form/: texts in fi/sv/en behind WAI-ARIA
 * tabs, date and time (all-day, weekly repeat with exceptions), place (from the list, new, or
 * online), topics and audience, price and links, image and accessibility. `collect()`
 * validates on the client and builds the API's EventInput; every control carries data-field =
 * the API's dotted path, so forms.ts puts the API's own field errors next to the right control.
 */
import type { Lang } from "../../../src/contract/i18n/resident.ts";
import type { FieldError } from "../lib/api-client.ts";
import { h } from "../lib/dom.ts";
import { accessibilitySection } from "./event-form/accessibility.ts";
import { audienceSections } from "./event-form/audience.ts";
import { imageSection } from "./event-form/image.ts";
import { type CategoryOption, type EventInput, formKit, type PlaceOption, type T } from "./event-form/kit.ts";
import { placeSection } from "./event-form/place.ts";
import { priceSection } from "./event-form/price.ts";
import { textsSection } from "./event-form/texts.ts";
import { timeSection } from "./event-form/time.ts";

export type { CategoryOption, EventInput, PlaceOption, T } from "./event-form/kit.ts";
export { TEXT_LANGS } from "./event-form/kit.ts";
export { helsinkiInstant, parseWeekly } from "./event-form/time.ts";

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

export function buildEventForm(opts: EventFormOptions): EventForm {
  const { t, lang } = opts;
  const init = opts.initial ?? null;
  const k = formKit(`ef${++seq}`, t, lang, init);

  const texts = textsSection(k);
  const time = timeSection(k);
  const place = placeSection(k, opts.places);
  const audience = audienceSections(k, opts.categories);
  const price = priceSection(k);
  const image = imageSection(k);
  const a11y = accessibilitySection(k);

  const form = h(
    "form",
    { class: "event-form", novalidate: "", "aria-describedby": `${k.p}-intro` },
    ...(opts.before ?? []),
    texts.element,
    time.element,
    place.element,
    audience.categories,
    audience.element,
    price.element,
    image.element,
    a11y.element,
    h("div", { class: "form-actions" }, ...opts.actions),
  );
  // The error summary links to controls that may sit in a hidden tab: show that tab first.
  form.addEventListener(
    "click",
    (ev) => {
      const a = (ev.target as HTMLElement).closest?.(".error-summary a");
      texts.reveal(a ? document.getElementById((a.getAttribute("href") ?? "").slice(1)) : null);
    },
    true,
  );

  function collect(): { input: EventInput; errors: FieldError[] } {
    const errors: FieldError[] = [];
    // In the order of the form, so that the error summary reads top to bottom.
    const textValues = texts.collect(errors);
    const timeValues = time.collect(errors);
    const placeValues = place.collect(errors);
    const audienceValues = audience.collect(errors);
    const priceValues = price.collect(errors);
    const imageValues = image.collect(errors);
    const input: EventInput = {
      ...textValues,
      ...timeValues,
      rdates: init?.rdates ?? [],
      ...placeValues,
      ...audienceValues,
      ...priceValues,
      ...imageValues,
      ...a11y.collect(errors),
      links: init?.links ?? [],
    };
    return { input, errors };
  }

  function mapPath(path: string): string {
    const x = path.replace(/^event\./, "");
    if (x === "title") return `title.${lang}`;
    if (x === "place_id" || x === "place") {
      const m = place.placeMode();
      return m === "new" ? "place.name" : m === "online" ? "online_url" : "place_id";
    }
    if (x.startsWith("place.name")) return "place.name";
    if (x.startsWith("price")) return "price";
    if (x.startsWith("image.alt")) return "image.alt";
    if (x.startsWith("rrule") || x.startsWith("exdates"))
      return time.repeatMode() === "weekly" ? "rrule" : "start";
    return x;
  }

  return { form, collect, mapPath, markTabs: texts.markTabs };
}
