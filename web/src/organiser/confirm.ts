/**
 * /ilmoita/vahvista?token=… — confirms an anonymous submission (the emailed link). The token
 * leaves the address bar at once; the magic-link token in the answer opens /ilmoita/omat.
 */
import type { Lang } from "../../../src/contract/i18n/resident.ts";
import { api } from "../lib/api-client.ts";
import { withLang } from "../lib/common.ts";
import { byId, h } from "../lib/dom.ts";
import { loadingEl } from "./common.ts";
import type { T } from "./event-form.ts";
import { rememberSubmitterToken } from "./mine.ts";

export async function confirmPage(lang: Lang, t: T): Promise<void> {
  const app = byId("app");
  const url = new URL(location.href);
  const token = url.searchParams.get("token");
  if (token) {
    url.searchParams.delete("token");
    history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
  }
  if (!token) {
    app.replaceChildren(h("p", { class: "notice notice--error", role: "alert" }, t.noToken));
    return;
  }
  app.replaceChildren(loadingEl(t));
  try {
    const r = await api<{ id: string; access_token: string }>("POST", "/api/v1/submissions/confirm", {
      token,
    });
    rememberSubmitterToken(r.access_token);
    const h2 = h("h2", { tabindex: "-1" }, t.confirmedHeading);
    app.replaceChildren(
      h(
        "div",
        { class: "notice notice--ok", role: "status" },
        h2,
        h("p", {}, t.confirmedText),
        h("p", {}, h("a", { href: withLang("/ilmoita/omat", lang) }, t.manageLink)),
      ),
    );
    h2.focus();
  } catch {
    app.replaceChildren(
      h(
        "div",
        { class: "notice notice--error", role: "alert" },
        h("p", {}, t.confirmFailed),
        h("p", {}, h("a", { href: withLang("/ilmoita/omat", lang) }, t.manageLink)),
      ),
    );
  }
}
