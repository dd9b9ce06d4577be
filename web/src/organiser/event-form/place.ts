/**
 * The place section: a place from the public list (filtered as you type), a new place that a
 * moderator checks with the event, or online only; an online address may accompany any of them.
 */
import { h } from "../../lib/dom.ts";
import { type EventInput, type FormKit, isUrl, type PlaceOption, type Section, shownText } from "./kit.ts";

export type PlaceMode = "existing" | "new" | "online";

export interface PlaceSection extends Section<Pick<EventInput, "place_id" | "place" | "online_url">> {
  placeMode(): PlaceMode;
}

export function placeSection(k: FormKit, places: PlaceOption[]): PlaceSection {
  const { p, t, lang, init } = k;
  const placeMode0 = init?.place
    ? "new"
    : init?.place_id
      ? "existing"
      : init?.online_url
        ? "online"
        : "existing";
  const modeRadio = (value: string, label: string) => {
    const r = h("input", { type: "radio", name: `${p}-placemode`, id: `${p}-pm-${value}`, value });
    r.checked = value === placeMode0;
    return h("div", { class: "check" }, r, h("label", { for: r.id }, label));
  };
  const filter = k.input("place-filter", "place_filter", "search", { autocomplete: "off" });
  const placeSelect = h("select", {
    id: `${p}-place`,
    name: "place_id",
    "data-field": "place_id",
    size: "6",
  });
  const placeCount = h("p", { class: "hint", id: `${p}-place-count`, role: "status" });
  const placeLabel = (pl: PlaceOption) =>
    [pl.name.text, pl.street_address, pl.village?.name].filter(Boolean).join(", ");
  const renderPlaces = () => {
    const q = filter.value.trim().toLowerCase();
    const keep = placeSelect.value || init?.place_id || "";
    const hits = places.filter((pl) => !q || placeLabel(pl).toLowerCase().includes(q) || pl.id === keep);
    // A place created with this event may not be in the (cached) public list yet: keep it.
    if (keep && !places.some((pl) => pl.id === keep)) {
      hits.unshift({
        id: keep,
        name: { text: t.currentPlace },
        street_address: null,
        postal_code: null,
        locality: null,
        village: null,
        accessibility: [],
      });
    }
    placeSelect.replaceChildren(
      ...hits.map((pl) => {
        const o = h("option", { value: pl.id }, placeLabel(pl));
        o.selected = pl.id === keep;
        return o;
      }),
    );
    placeCount.textContent = t.placeCount(hits.length);
  };
  filter.addEventListener("input", renderPlaces);
  renderPlaces();
  const existingBox = h(
    "div",
    { class: "place-existing" },
    k.field(filter, t.placeFilterLabel),
    placeCount,
    k.field(placeSelect, t.placeListLabel, undefined, { required: true, cls: "field--wide" }),
  );
  const np = init?.place;
  const npName = k.input("np-name", "place.name", "text", { autocomplete: "off" });
  npName.value = shownText(np?.name, lang);
  const npStreet = k.input("np-street", "place.street_address", "text", { autocomplete: "street-address" });
  npStreet.value = np?.street_address ?? "";
  const npPostal = k.input("np-postal", "place.postal_code", "text", {
    inputmode: "numeric",
    autocomplete: "postal-code",
  });
  npPostal.value = np?.postal_code ?? "";
  const npLocality = k.input("np-locality", "place.locality", "text", { autocomplete: "address-level2" });
  npLocality.value = np?.locality ?? "";
  const newBox = h(
    "div",
    { class: "place-new" },
    h("p", { class: "hint" }, t.newPlaceNote),
    k.field(npName, t.newPlaceName, undefined, { required: true, cls: "field--wide" }),
    k.field(npStreet, t.streetAddress, undefined, { cls: "field--wide" }),
    h(
      "div",
      { class: "form-row" },
      k.field(npPostal, t.postalCode, t.postalCodeHint, { cls: "field--narrow" }),
      k.field(npLocality, t.locality),
    ),
  );
  const online = k.input("online", "online_url", "url", { inputmode: "url" });
  online.value = init?.online_url ?? "";
  const placeFs = h(
    "fieldset",
    {},
    h("legend", {}, t.placeModeLegend),
    modeRadio("existing", t.placeModeExisting),
    modeRadio("new", t.placeModeNew),
    modeRadio("online", t.placeModeOnline),
  );
  const placeMode = () =>
    (placeFs.querySelector<HTMLInputElement>(`input[name="${p}-placemode"]:checked`)?.value ??
      "existing") as PlaceMode;
  const syncPlace = () => {
    const m = placeMode();
    existingBox.hidden = m !== "existing";
    newBox.hidden = m !== "new";
  };
  placeFs.addEventListener("change", syncPlace);
  syncPlace();
  const element = k.section(
    "place",
    t.placeSection,
    placeFs,
    existingBox,
    newBox,
    k.field(online, t.onlineUrlLabel, t.urlHint, { cls: "field--wide" }),
  );

  return {
    element,
    placeMode,
    collect(errors) {
      const err = (path: string, message: string) => errors.push({ path, message });
      const pm = placeMode();
      const onlineUrl = online.value.trim();
      if (onlineUrl && !isUrl(onlineUrl)) err("online_url", t.errUrl);
      let placeId: string | null = null;
      let newPlace: EventInput["place"] = null;
      if (pm === "existing") {
        placeId = placeSelect.value || null;
        if (!placeId && !onlineUrl) err("place_id", t.errPlace);
      } else if (pm === "new") {
        const name = npName.value.trim();
        if (!name) err("place.name", t.errRequired);
        if (name.length > 200) err("place.name", t.errTooLong(200));
        const postal = npPostal.value.trim();
        if (postal && !/^\d{5}$/.test(postal)) err("place.postal_code", t.errPostal);
        newPlace = {
          name: { [lang]: name },
          ...(npStreet.value.trim() ? { street_address: npStreet.value.trim() } : {}),
          ...(postal ? { postal_code: postal } : {}),
          ...(npLocality.value.trim() ? { locality: npLocality.value.trim() } : {}),
        };
      } else if (!onlineUrl) {
        err("online_url", t.errUrl);
      }
      return { place_id: placeId, place: newPlace, online_url: onlineUrl || null };
    },
  };
}
