/** The organiser pages (src/contract/pages.ts): language, chrome, then the page's own view by <body data-page>. */
import "./organiser.css";
import { ORGANISER_MESSAGES } from "../../src/contract/i18n/organiser.ts";
import { applyChrome } from "./common.ts";
import type { T } from "./event-form.ts";
import { confirmPage } from "./organiser-confirm.ts";
import { myEventPage, myEventsPage, submissionsPage } from "./organiser-mine.ts";
import { submitPage } from "./organiser-submit.ts";

const { lang, t } = applyChrome(undefined, ORGANISER_MESSAGES);
const texts = t as unknown as T;

switch (document.body.dataset.page) {
  case "ilmoita":
    void submitPage(lang, texts);
    break;
  case "ilmoita-vahvista":
    void confirmPage(lang, texts);
    break;
  case "ilmoita-omat":
    void submissionsPage(lang, texts);
    break;
  case "omat":
    void myEventsPage(lang, texts);
    break;
  case "omat-tapahtuma":
    void myEventPage(lang, texts);
    break;
}
