/**
 * The organiser, account and moderation pages of the front-end: one static HTML shell each
 * (web/<file>), served at a clean URL. One list, read by three places:
 * - web/vite.config.ts builds every shell;
 * - src/pages/event-page.ts (pageRoutes) serves each path with <html lang>, <title> and the
 *   UI texts already in the chosen language, so the page reads right before its script runs;
 * - wrangler.toml's `run_worker_first` must send every path to the Worker, with and without a
 *   municipality's prefix (test/app-pages.test.ts checks).
 * The email links of the workflow API point at these paths (src/domain/*.ts).
 */

export interface AppPage {
  /** URL path; ":id" marks a uuid segment. */
  path: string;
  /** The shell in web/ (and web/dist/). */
  file: string;
  /** Key of the page title in the merged UI dictionary (src/contract/i18n/*.ts). */
  titleKey: string;
  /** The URL carries a secret token (?token=…): never sent on as a Referer. */
  token?: boolean;
}

export const APP_PAGES: readonly AppPage[] = [
  // Accounts (web/src/account/)
  { path: "/kirjaudu", file: "kirjaudu.html", titleKey: "loginTitle" },
  { path: "/rekisteroidy", file: "rekisteroidy.html", titleKey: "registerTitle" },
  { path: "/tili", file: "tili.html", titleKey: "accountTitle" },
  { path: "/tili/vahvista", file: "tili-vahvista.html", titleKey: "verifyTitle", token: true },
  { path: "/tili/salasana", file: "tili-salasana.html", titleKey: "resetTitle", token: true },
  { path: "/tili/kutsu", file: "tili-kutsu.html", titleKey: "inviteTitle", token: true },
  // Organisers (web/src/organiser/)
  { path: "/ilmoita", file: "ilmoita.html", titleKey: "submitTitle" },
  { path: "/ilmoita/vahvista", file: "ilmoita-vahvista.html", titleKey: "confirmTitle", token: true },
  { path: "/ilmoita/omat", file: "ilmoita-omat.html", titleKey: "ownSubmissionsTitle", token: true },
  { path: "/omat", file: "omat.html", titleKey: "myEventsTitle" },
  { path: "/omat/tapahtumat/:id", file: "omat-tapahtuma.html", titleKey: "myEventTitle" },
  // Moderators (web/src/moderation/)
  { path: "/moderointi", file: "moderointi.html", titleKey: "queueTitle" },
  { path: "/moderointi/tapahtumat/:id", file: "moderointi-tapahtuma.html", titleKey: "reviewTitle" },
  { path: "/moderointi/loki", file: "moderointi-loki.html", titleKey: "logTitle" },
  {
    path: "/moderointi/organisaatiot",
    file: "moderointi-organisaatiot.html",
    titleKey: "organisationsTitle",
  },
  // Administration of the region's municipalities (web/src/admin/)
  { path: "/hallinta", file: "hallinta.html", titleKey: "adminTitle" },
];
