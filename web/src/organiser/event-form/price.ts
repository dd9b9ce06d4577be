/** The price section: free or a price text, and the ticket and registration links. */
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

export function priceSection(
  k: FormKit,
): Section<Pick<EventInput, "is_free" | "price" | "ticket_url" | "registration_url">> {
  const { p, t, lang, init } = k;
  const isFree = h("input", { type: "checkbox", id: `${p}-free`, name: "is_free", "data-field": "is_free" });
  isFree.checked = init ? init.is_free !== false : false;
  const price = k.input("price", "price", "text");
  price.value = shownText(init?.price, lang);
  const ticket = k.input("ticket", "ticket_url", "url", { inputmode: "url" });
  ticket.value = init?.ticket_url ?? "";
  const registration = k.input("registration", "registration_url", "url", { inputmode: "url" });
  registration.value = init?.registration_url ?? "";
  const priceField = k.field(price, t.priceLabel, t.priceHint, { cls: "field--wide" });
  const syncFree = () => {
    priceField.hidden = isFree.checked;
  };
  isFree.addEventListener("change", syncFree);
  syncFree();
  const element = k.section(
    "price",
    t.priceSection,
    h("div", { class: "field field--check" }, isFree, h("label", { for: isFree.id }, t.isFreeLabel)),
    priceField,
    k.field(ticket, t.ticketUrlLabel, t.urlHint, { cls: "field--wide" }),
    k.field(registration, t.registrationUrlLabel, t.urlHint, { cls: "field--wide" }),
  );

  return {
    element,
    collect(errors) {
      const priceText = isFree.checked ? "" : price.value.trim();
      if (priceText.length > LIMITS.price)
        errors.push({ path: "price", message: t.errTooLong(LIMITS.price) });
      for (const ctl of [ticket, registration]) {
        const v = ctl.value.trim();
        if (v && !isUrl(v)) errors.push({ path: ctl.dataset.field!, message: t.errUrl });
      }
      return {
        is_free: isFree.checked,
        price: withLangText(lang, init?.price, priceText),
        ticket_url: ticket.value.trim() || null,
        registration_url: registration.value.trim() || null,
      };
    },
  };
}
