/** The accessibility section: the event's accessibility features, from the API's own vocabulary. */
import { ACCESSIBILITY_FEATURES } from "../../../../src/contract/codes.ts";
import { h } from "../../lib/dom.ts";
import type { EventInput, FormKit, Section } from "./kit.ts";

export function accessibilitySection(k: FormKit): Section<Pick<EventInput, "accessibility">> {
  const { t, init } = k;
  const a11y = new Set<string>(init?.accessibility ?? []);
  const boxes = ACCESSIBILITY_FEATURES.map((code) =>
    k.check(`a11y-${code}`, "accessibility", code, t.accessibilityFeatures[code] ?? code, a11y.has(code)),
  );
  boxes[0]!.querySelector("input")!.dataset.field = "accessibility";
  const element = k.section(
    "a11y",
    t.accessibilitySection,
    h(
      "fieldset",
      {},
      h(
        "legend",
        {},
        t.accessibilitySection,
        h("span", { class: "hint-inline" }, ` – ${t.accessibilityHint}`),
      ),
      h("div", { class: "checks" }, ...boxes),
    ),
  );
  return {
    element,
    collect: () => ({ accessibility: k.checked(element, "accessibility") as EventInput["accessibility"] }),
  };
}
