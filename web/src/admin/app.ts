/**
 * The administration page /hallinta: region admins list and create municipalities; a region
 * admin or a municipality's own admin edits its site (names, languages, public URL, hosts,
 * centre, neighbours, look with a live contrast check) and manages its staff. `?kunta=<id>`
 * opens one municipality. Everything goes through /api/v1/admin/municipalities.
 */
import "../styles/moderation.css";
import "../styles/admin.css";
import type { Municipality, StaffInvitation, StaffMember } from "../../../src/contract/api/admin.ts";
import type { AdminCategory } from "../../../src/contract/api/categories.ts";
import { contrastWithWhite, HEX_COLOUR, MIN_CONTRAST_WITH_WHITE } from "../../../src/contract/colour.ts";
import { ADMIN_MESSAGES, type AdminMessages } from "../../../src/contract/i18n/admin.ts";
import type { Messages } from "../../../src/contract/i18n/resident.ts";
import { api, currentUser, type Me, Problem } from "../lib/api-client.ts";
import { applyChrome, renderUserNav, withLang } from "../lib/common.ts";
import { h } from "../lib/dom.ts";
import { announce, clearErrors, showErrors } from "../lib/forms.ts";

type T = Messages & AdminMessages;
type StaffList = { data: StaffMember[]; invitations: StaffInvitation[] };
const LOCALES = ["fi", "sv", "en"] as const;

const { lang, t: base } = applyChrome(undefined, ADMIN_MESSAGES);
const t = base as T;
const app = document.getElementById("app") as HTMLElement;

const nameOf = (m: Pick<Municipality, "name" | "slug">) => m.name[lang] ?? m.name.fi ?? m.slug;
const langLabel = (l: (typeof LOCALES)[number]) => ({ fi: t.langFi, sv: t.langSv, en: t.langEn })[l];
const roleLabel = (r: string) => (r === "admin" ? t.admRoleAdmin : t.admRoleModerator);

let fieldSeq = 0;
/** A labelled input; `path` is the API field it edits (errors are matched by it). */
function input(
  path: string,
  label: string,
  attrs: Record<string, string | undefined | null | false> = {},
): { wrap: HTMLElement; el: HTMLInputElement } {
  const id = `adm-${++fieldSeq}`;
  const el = h("input", { id, name: path, "data-field": path, type: "text", ...attrs });
  return { wrap: h("div", { class: "field" }, h("label", { for: id }, label), el), el };
}

function textarea(path: string, label: string, value: string) {
  const id = `adm-${++fieldSeq}`;
  const el = h("textarea", { id, name: path, "data-field": path, rows: "3" });
  el.value = value;
  return { wrap: h("div", { class: "field" }, h("label", { for: id }, label), el), el };
}

function select(path: string, label: string, options: [string, string][], value: string) {
  const id = `adm-${++fieldSeq}`;
  const el = h("select", { id, name: path, "data-field": path });
  for (const [v, text] of options) el.appendChild(h("option", { value: v }, text));
  el.value = value;
  return { wrap: h("div", { class: "field" }, h("label", { for: id }, label), el), el };
}

/** Checkboxes for the site's languages; returns the fieldset and a reader. */
function languageChecks(selected: readonly string[]) {
  const boxes = LOCALES.map((l) => {
    const id = `adm-${++fieldSeq}`;
    const box = h("input", { id, type: "checkbox", name: "languages", value: l, "data-field": "languages" });
    box.checked = selected.includes(l);
    return {
      l,
      box,
      wrap: h("div", { class: "field field--check" }, box, h("label", { for: id }, langLabel(l))),
    };
  });
  const fieldset = h(
    "fieldset",
    {},
    h("legend", {}, t.admLanguagesLegend),
    h("div", { class: "checks" }, ...boxes.map((b) => b.wrap)),
  );
  return { fieldset, read: () => boxes.filter((b) => b.box.checked).map((b) => b.l) };
}

const lines = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
const numberOrNull = (v: string) => (v.trim() === "" ? null : Number(v.replace(",", ".")));

/** Shows an API failure on a form: field errors next to fields, else one message. */
function failure(form: HTMLFormElement, status: HTMLElement, err: unknown) {
  if (err instanceof Problem && err.errors.length > 0) {
    showErrors(form, err.errors, { summaryHeading: t.adminErrorSummary });
    return;
  }
  clearErrors(form);
  let text = t.adminLoadFailed;
  if (err instanceof Problem) {
    const host = typeof err.body.host === "string" ? err.body.host : null;
    text =
      err.status === 409 && !host && err.body.field === "updated_at"
        ? t.admConflict
        : (err.detail ?? err.title);
  }
  announce(status, text, "error");
}

/** A scrollable, labelled admin table: column headings and body rows. */
function adminTable(id: string, headingId: string, headings: string[], rows: HTMLElement[]): HTMLElement {
  return h(
    "div",
    { class: "table-scroll", role: "region", "aria-labelledby": headingId, tabindex: "0" },
    h(
      "table",
      { class: "admin-table", id },
      h("thead", {}, h("tr", {}, ...headings.map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, ...rows),
    ),
  );
}

function submitButton(label: string) {
  return h("button", { type: "submit", class: "button" }, label);
}

/** Runs `fn` with the button disabled (no double submits). */
async function busy(button: HTMLButtonElement, fn: () => Promise<void>) {
  if (button.disabled) return;
  button.disabled = true;
  try {
    await fn();
  } finally {
    button.disabled = false;
  }
}

// ---------- who may be here ----------

async function requireAdmin(): Promise<Me | null> {
  let me: Me | null;
  try {
    me = await currentUser();
  } catch (err) {
    app.replaceChildren(h("div", { class: "notice notice--error", role: "alert" }, h("p", {}, String(err))));
    return null;
  }
  renderUserNav(lang);
  if (me && (me.here.region_admin || me.municipalities.some((m) => m.role === "admin"))) return me;
  const login = new URL("/kirjaudu", location.origin);
  if (lang !== "fi") login.searchParams.set("lang", lang);
  login.searchParams.set("next", `${location.pathname}${location.search}`);
  app.replaceChildren(
    me
      ? h(
          "div",
          { class: "notice notice--error access-box", role: "alert" },
          h("h2", {}, t.adminNoAccessHeading),
          h("p", {}, t.adminNoAccess),
        )
      : h(
          "div",
          { class: "notice access-box" },
          h("h2", {}, t.adminSignInHeading),
          h("p", {}, t.adminSignInText),
          h(
            "p",
            {},
            h(
              "a",
              { class: "button", href: `${login.pathname}${login.search}`, id: "sign-in-link" },
              t.navLogin,
            ),
          ),
        ),
  );
  return null;
}

// ---------- the list and the create form ----------

function listView(me: Me, all: Municipality[], flash?: string) {
  const status = h("div", { class: "live" });
  const rows = all.map((m) =>
    h(
      "tr",
      {},
      h("td", {}, nameOf(m)),
      h("td", {}, m.slug),
      h("td", {}, m.hosts.join(", ") || "–"),
      h(
        "td",
        {},
        h(
          "a",
          { href: withLang(`/hallinta?kunta=${m.id}`, lang), "aria-label": t.editLink(nameOf(m)) },
          t.editShort,
        ),
      ),
    ),
  );
  const table = h(
    "div",
    { class: "table-scroll", role: "region", "aria-labelledby": "list-heading", tabindex: "0" },
    h(
      "table",
      { class: "admin-table", id: "municipalities" },
      h("caption", { class: "visually-hidden" }, t.municipalitiesHeading),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, t.colName),
          h("th", { scope: "col" }, t.colSlug),
          h("th", { scope: "col" }, t.colHosts),
          h("th", { scope: "col" }, t.admColActions),
        ),
      ),
      h("tbody", {}, ...rows),
    ),
  );
  const parts: HTMLElement[] = [
    h("p", { class: "intro" }, t.adminIntro),
    status,
    h(
      "section",
      { class: "admin-section", "aria-labelledby": "list-heading" },
      h("h2", { id: "list-heading" }, t.municipalitiesHeading),
      table,
    ),
  ];
  if (me.here.region_admin) parts.push(createForm());
  app.replaceChildren(...parts);
  if (flash) announce(status, flash);
}

function createForm(): HTMLElement {
  const status = h("div", { class: "live" });
  const slug = input("slug", t.slugLabel, {
    required: "",
    autocomplete: "off",
    pattern: "[a-z0-9][a-z0-9-]{1,39}",
  });
  const fi = input("name.fi", t.nameFiLabel, { required: "" });
  const sv = input("name.sv", t.nameSvLabel);
  const en = input("name.en", t.nameEnLabel);
  const langs = languageChecks(["fi"]);
  const locale = select(
    "default_locale",
    t.defaultLocaleLabel,
    LOCALES.map((l) => [l, langLabel(l)]),
    "fi",
  );
  const lat = input("lat", t.latLabel, { inputmode: "decimal" });
  const lon = input("lon", t.lonLabel, { inputmode: "decimal" });
  const hosts = textarea("hosts", t.hostsLabel, "");
  const email = input("first_admin_email", t.firstAdminLabel, {
    type: "email",
    required: "",
    autocomplete: "off",
  });
  const button = submitButton(t.createButton);
  const form = h(
    "form",
    { class: "admin-form", id: "create-form", novalidate: "" },
    slug.wrap,
    fi.wrap,
    sv.wrap,
    en.wrap,
    langs.fieldset,
    locale.wrap,
    lat.wrap,
    lon.wrap,
    hosts.wrap,
    email.wrap,
    h("div", { class: "form-actions" }, button),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void busy(button, async () => {
      const name: Record<string, string> = { fi: fi.el.value };
      if (sv.el.value.trim()) name.sv = sv.el.value;
      if (en.el.value.trim()) name.en = en.el.value;
      try {
        const created = await api<Municipality & { invitation: StaffInvitation }>(
          "POST",
          "/api/v1/admin/municipalities",
          {
            slug: slug.el.value.trim(),
            name,
            languages: langs.read(),
            default_locale: locale.el.value,
            ...(lat.el.value.trim() ? { lat: numberOrNull(lat.el.value) } : {}),
            ...(lon.el.value.trim() ? { lon: numberOrNull(lon.el.value) } : {}),
            hosts: lines(hosts.el.value),
            first_admin_email: email.el.value.trim(),
          },
        );
        await showList(t.created(nameOf(created), created.invitation.email));
      } catch (err) {
        failure(form, status, err);
      }
    });
  });
  return h(
    "section",
    { class: "admin-section", "aria-labelledby": "create-heading" },
    h("h2", { id: "create-heading" }, t.createHeading),
    h("p", { class: "hint" }, t.createIntro),
    status,
    form,
  );
}

async function showList(flash?: string) {
  const me = await requireAdmin();
  if (!me) return;
  try {
    const { data } = await api<{ data: Municipality[] }>("GET", "/api/v1/admin/municipalities");
    listView(me, data, flash);
  } catch (err) {
    app.replaceChildren(
      h(
        "div",
        { class: "notice notice--error", role: "alert" },
        h("p", {}, t.adminLoadFailed),
        h("p", {}, String(err)),
      ),
    );
  }
}

// ---------- one municipality: site, look, staff ----------

function contrastLine(el: HTMLElement, preview: HTMLElement, value: string) {
  if (!HEX_COLOUR.test(value)) {
    el.textContent = "";
    preview.hidden = true;
    return;
  }
  const ratio = contrastWithWhite(value);
  const text = ratio.toFixed(2).replace(".", lang === "en" ? "." : ",");
  const low = ratio < MIN_CONTRAST_WITH_WHITE;
  el.textContent = low ? t.contrastLow(text) : t.contrastOk(text);
  el.className = low ? "contrast contrast--low" : "contrast";
  preview.hidden = false;
  preview.style.background = value;
  // White text is shown only where it is readable: below 4.5:1 the swatch has none.
  preview.textContent = low ? "" : t.contrastPreview;
}

function editForm(m: Municipality, others: Municipality[], reload: (flash: string) => void): HTMLElement {
  const status = h("div", { class: "live" });
  const fi = input("name.fi", t.nameFiLabel, { required: "", value: m.name.fi ?? "" });
  const sv = input("name.sv", t.nameSvLabel, { value: m.name.sv ?? "" });
  const en = input("name.en", t.nameEnLabel, { value: m.name.en ?? "" });
  const langs = languageChecks(m.languages);
  const locale = select(
    "default_locale",
    t.defaultLocaleLabel,
    LOCALES.map((l) => [l, langLabel(l)]),
    m.default_locale,
  );
  const publicUrl = input("public_url", t.publicUrlLabel, { type: "url", value: m.public_url ?? "" });
  const hosts = textarea("hosts", t.hostsLabel, m.hosts.join("\n"));
  const lat = input("lat", t.latLabel, { inputmode: "decimal", value: m.lat === null ? "" : String(m.lat) });
  const lon = input("lon", t.lonLabel, { inputmode: "decimal", value: m.lon === null ? "" : String(m.lon) });
  const radius = input("neighbour_radius_km", t.radiusLabel, {
    type: "number",
    min: "1",
    max: "500",
    value: m.neighbour_radius_km === null ? "" : String(m.neighbour_radius_km),
  });
  const choices = others.filter((o) => o.id !== m.id);
  const known = new Set(choices.map((o) => o.id));
  const neighbourBoxes = choices.map((o) => {
    const id = `adm-${++fieldSeq}`;
    const box = h("input", {
      id,
      type: "checkbox",
      name: "neighbours",
      value: o.id,
      "data-field": "neighbours",
    });
    box.checked = m.neighbours.includes(o.id);
    return { box, wrap: h("div", { class: "field field--check" }, box, h("label", { for: id }, nameOf(o))) };
  });
  // Neighbours this admin cannot see by name (another municipality's) stay as they are.
  const hiddenNeighbours = m.neighbours.filter((id) => !known.has(id));
  const neighbours = h(
    "fieldset",
    {},
    h("legend", {}, t.neighboursLegend),
    neighbourBoxes.length
      ? h("div", { class: "checks" }, ...neighbourBoxes.map((b) => b.wrap))
      : h("p", { class: "hint" }, t.noNeighbours),
  );
  const logo = input("theme.logo_url", t.logoLabel, { type: "url", value: m.theme.logo_url ?? "" });
  const primaryValue = m.theme.colours?.primary ?? "";
  const primary = input("theme.colours.primary", t.primaryLabel, {
    value: primaryValue,
    placeholder: "#0b4f8a",
    "aria-describedby": "contrast-line",
  });
  const pickerId = `adm-${++fieldSeq}`;
  const picker = h("input", {
    id: pickerId,
    type: "color",
    value: HEX_COLOUR.test(primaryValue) ? primaryValue : "#0b4f8a",
  });
  const contrast = h("p", { id: "contrast-line", class: "contrast", "aria-live": "polite" });
  const preview = h("span", { class: "contrast-preview", "aria-hidden": "true" }, t.contrastPreview);
  const sync = () => {
    const value = primary.el.value.trim();
    // The picker follows a typed colour, and the typed field follows the picker.
    if (HEX_COLOUR.test(value)) picker.value = value.toLowerCase();
    contrastLine(contrast, preview, value);
  };
  primary.el.addEventListener("input", sync);
  picker.addEventListener("input", () => {
    primary.el.value = picker.value;
    sync();
  });
  sync();
  const button = submitButton(t.saveButton);
  const form = h(
    "form",
    { class: "admin-form", id: "edit-form", novalidate: "" },
    fi.wrap,
    sv.wrap,
    en.wrap,
    langs.fieldset,
    locale.wrap,
    publicUrl.wrap,
    hosts.wrap,
    lat.wrap,
    lon.wrap,
    radius.wrap,
    neighbours,
    h("h3", {}, t.themeHeading),
    logo.wrap,
    h(
      "div",
      { class: "colour-row" },
      primary.wrap,
      h("div", { class: "field" }, h("label", { for: pickerId }, t.primaryPickerLabel), picker),
    ),
    contrast,
    preview,
    h("div", { class: "form-actions" }, button),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void busy(button, async () => {
      const name: Record<string, string> = { fi: fi.el.value };
      if (sv.el.value.trim()) name.sv = sv.el.value;
      if (en.el.value.trim()) name.en = en.el.value;
      const colour = primary.el.value.trim();
      try {
        await api("PATCH", `/api/v1/admin/municipalities/${m.id}`, {
          updated_at: m.updated_at,
          name,
          languages: langs.read(),
          default_locale: locale.el.value,
          public_url: publicUrl.el.value.trim() || null,
          hosts: lines(hosts.el.value),
          lat: numberOrNull(lat.el.value),
          lon: numberOrNull(lon.el.value),
          neighbour_radius_km: numberOrNull(radius.el.value),
          neighbours: [
            ...neighbourBoxes.filter((b) => b.box.checked).map((b) => b.box.value),
            ...hiddenNeighbours,
          ],
          theme: {
            logo_url: logo.el.value.trim() || null,
            ...(colour ? { colours: { primary: colour } } : {}),
          },
        });
        reload(t.saved);
      } catch (err) {
        failure(form, status, err);
      }
    });
  });
  return h(
    "section",
    { class: "admin-section", "aria-labelledby": "site-heading" },
    h("h2", { id: "site-heading" }, t.siteHeading),
    status,
    form,
  );
}

function staffSection(m: Municipality, staff: StaffList, reload: (flash: string) => void): HTMLElement {
  const status = h("div", { class: "live" });
  const base = `/api/v1/admin/municipalities/${m.id}/staff`;
  const act = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      reload(done);
    } catch (err) {
      announce(status, err instanceof Problem ? (err.detail ?? err.title) : String(err), "error");
    }
  };
  const rows = staff.data.map((s) => {
    const who = s.display_name || s.email;
    const role = h("select", { "aria-label": t.roleLabelFor(who) });
    for (const r of ["moderator", "admin"]) role.appendChild(h("option", { value: r }, roleLabel(r)));
    role.value = s.role;
    const save = h("button", { type: "button", class: "button button--secondary button--small" }, t.saveRole);
    save.addEventListener(
      "click",
      () => void act(() => api("PATCH", `${base}/${s.user_id}`, { role: role.value }), t.admRoleChanged(who)),
    );
    const remove = h(
      "button",
      { type: "button", class: "button button--danger button--small", "aria-label": t.removeStaff(who) },
      t.admRemoveButton,
    );
    remove.addEventListener(
      "click",
      () => void act(() => api("DELETE", `${base}/${s.user_id}`), t.staffRemoved(who)),
    );
    return h(
      "tr",
      {},
      h("td", {}, who),
      h("td", {}, s.email),
      h("td", {}, role),
      h("td", {}, h("div", { class: "row-actions" }, save, remove)),
    );
  });
  const table = staff.data.length
    ? adminTable("staff", "staff-heading", [t.colName, t.colEmail, t.colRole, t.admColActions], rows)
    : h("p", {}, t.staffEmpty);
  const invitations = staff.invitations.length
    ? h(
        "div",
        {},
        h("h3", {}, t.invitationsHeading),
        h(
          "ul",
          { id: "invitations" },
          ...staff.invitations.map((i) => {
            const revoke = h(
              "button",
              {
                type: "button",
                class: "button button--secondary button--small",
                "aria-label": t.revokeInvitationFor(i.email),
              },
              t.revokeInvitation,
            );
            revoke.addEventListener(
              "click",
              () =>
                void act(() => api("DELETE", `${base}/invitations/${i.id}`), t.invitationRevoked(i.email)),
            );
            return h("li", {}, `${i.email} (${roleLabel(i.role)}) `, revoke);
          }),
        ),
      )
    : null;
  const email = input("email", t.inviteStaffEmail, { type: "email", required: "", autocomplete: "off" });
  const role = select(
    "role",
    t.inviteStaffRole,
    [
      ["moderator", roleLabel("moderator")],
      ["admin", roleLabel("admin")],
    ],
    "moderator",
  );
  const button = submitButton(t.inviteStaffButton);
  const form = h(
    "form",
    { class: "admin-form", id: "invite-form", novalidate: "" },
    h("h3", {}, t.inviteStaffHeading),
    email.wrap,
    role.wrap,
    h("div", { class: "form-actions" }, button),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void busy(button, async () => {
      try {
        await api("POST", `${base}/invitations`, {
          email: email.el.value.trim(),
          role: role.el.value,
          locale: lang,
        });
        reload(t.invitedStaff(email.el.value.trim()));
      } catch (err) {
        failure(form, status, err);
      }
    });
  });
  return h(
    "section",
    { class: "admin-section", "aria-labelledby": "staff-heading" },
    h("h2", { id: "staff-heading" }, t.staffHeading),
    h("p", { class: "hint" }, t.staffIntro),
    status,
    table,
    invitations,
    form,
  );
}

// ---------- categories ----------

/**
 * The shared list and the municipality's own categories: rename (fi/sv/en) with the version
 * read, delete an unused one, add one of the municipality's own. Shared ones are edited by
 * region admins only.
 */
function categorySection(
  m: Municipality,
  categories: AdminCategory[],
  regionAdmin: boolean,
  reload: (flash: string) => void,
): HTMLElement {
  const status = h("div", { class: "live" });
  const base = `/api/v1/admin/municipalities/${m.id}/categories`;
  const label = (c: AdminCategory) => c.name[lang] ?? c.name.fi ?? c.slug;
  const rows = categories.map((c) => {
    const editable = !c.shared || regionAdmin;
    const names = LOCALES.map((l) => {
      const el = h("input", {
        type: "text",
        value: c.name[l] ?? "",
        "aria-label": `${label(c)} (${langLabel(l)})`,
        ...(editable ? {} : { readonly: "" }),
      });
      el.value = c.name[l] ?? "";
      return [l, el] as const;
    });
    const actions: HTMLElement[] = [];
    if (editable) {
      const save = h(
        "button",
        {
          type: "button",
          class: "button button--secondary button--small",
          "aria-label": t.catRename(label(c)),
        },
        t.saveButton,
      );
      save.addEventListener(
        "click",
        () =>
          void busy(save, async () => {
            const name: Record<string, string> = {};
            for (const [l, el] of names) if (el.value.trim()) name[l] = el.value.trim();
            try {
              await api("PATCH", `${base}/${c.slug}`, { version: c.version, name });
              reload(t.catSaved(name.fi ?? c.slug));
            } catch (err) {
              announce(status, err instanceof Problem ? (err.detail ?? err.title) : String(err), "error");
            }
          }),
      );
      actions.push(save);
      if (c.events === 0) {
        const del = h(
          "button",
          {
            type: "button",
            class: "button button--danger button--small",
            "aria-label": t.catDelete(label(c)),
          },
          t.admRemoveButton,
        );
        del.addEventListener(
          "click",
          () =>
            void busy(del, async () => {
              try {
                await api("DELETE", `${base}/${c.slug}`, { version: c.version });
                reload(t.catDeleted(label(c)));
              } catch (err) {
                announce(status, err instanceof Problem ? (err.detail ?? err.title) : String(err), "error");
              }
            }),
        );
        actions.push(del);
      }
    }
    return h(
      "tr",
      {},
      h("td", {}, h("code", {}, c.slug)),
      h(
        "td",
        {},
        editable
          ? h("div", { class: "cat-names" }, ...names.map(([, el]) => el))
          : LOCALES.map((l) => c.name[l])
              .filter(Boolean)
              .join(" / "),
      ),
      h("td", {}, c.shared ? t.catShared : t.catOwn),
      h("td", {}, String(c.events)),
      h("td", {}, h("div", { class: "row-actions" }, ...actions)),
    );
  });
  const table = adminTable(
    "categories",
    "cat-heading",
    [t.colSlug, t.colName, t.catColKind, t.catColEvents, t.admColActions],
    rows,
  );
  const slug = input("slug", t.slugLabel, {
    required: "",
    autocomplete: "off",
    pattern: "[a-z0-9][a-z0-9-]+",
  });
  const nameFi = input("name.fi", t.nameFiLabel, { required: "" });
  const nameSv = input("name.sv", t.nameSvLabel);
  const nameEn = input("name.en", t.nameEnLabel);
  const button = submitButton(t.catAddButton);
  const form = h(
    "form",
    { class: "admin-form", id: "category-form", novalidate: "" },
    h("h3", {}, t.catAddHeading),
    slug.wrap,
    nameFi.wrap,
    nameSv.wrap,
    nameEn.wrap,
    h("div", { class: "form-actions" }, button),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void busy(button, async () => {
      const name: Record<string, string> = {};
      for (const [l, el] of [
        ["fi", nameFi.el],
        ["sv", nameSv.el],
        ["en", nameEn.el],
      ] as const)
        if (el.value.trim()) name[l] = el.value.trim();
      try {
        await api("POST", base, { slug: slug.el.value.trim(), name });
        reload(t.catAdded(name.fi ?? slug.el.value.trim()));
      } catch (err) {
        failure(form, status, err);
      }
    });
  });
  return h(
    "section",
    { class: "admin-section", "aria-labelledby": "cat-heading" },
    h("h2", { id: "cat-heading" }, t.catHeading),
    h("p", { class: "hint" }, t.catIntro),
    status,
    table,
    form,
  );
}

async function showMunicipality(id: string, flash?: string) {
  const me = await requireAdmin();
  if (!me) return;
  try {
    const [m, all, staff, categories] = await Promise.all([
      api<Municipality>("GET", `/api/v1/admin/municipalities/${id}`),
      api<{ data: Municipality[] }>("GET", "/api/v1/admin/municipalities"),
      api<StaffList>("GET", `/api/v1/admin/municipalities/${id}/staff`),
      api<{ data: AdminCategory[] }>("GET", `/api/v1/admin/municipalities/${id}/categories`),
    ]);
    const reload = (message: string) => void showMunicipality(id, message);
    const status = h("div", { class: "live" });
    app.replaceChildren(
      h("p", {}, h("a", { href: withLang("/hallinta", lang) }, t.backToList)),
      h("h2", { id: "municipality-heading" }, t.editHeading(nameOf(m))),
      status,
      editForm(m, all.data, reload),
      staffSection(m, staff, reload),
      categorySection(m, categories.data, me.here.region_admin, reload),
    );
    if (flash) announce(status, flash);
  } catch (err) {
    app.replaceChildren(
      h(
        "div",
        { class: "notice notice--error", role: "alert" },
        h("p", {}, t.adminLoadFailed),
        h("p", {}, String(err)),
      ),
      h("p", {}, h("a", { href: withLang("/hallinta", lang) }, t.backToList)),
    );
  }
}

const id = new URLSearchParams(location.search).get("kunta");
void (id ? showMunicipality(id) : showList());
