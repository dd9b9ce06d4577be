/** The organiser pages (src/contract/pages.ts): language, chrome, then the page's own view by <body data-page>. */
import "../styles/organiser.css";
import { ORGANISER_MESSAGES } from "../../../src/contract/i18n/organiser.ts";
import { applyChrome } from "../lib/common.ts";
import { confirmPage } from "./confirm.ts";
import type { T } from "./event-form.ts";
import { myEventPage, myEventsPage, submissionsPage } from "./mine.ts";
import { submitPage } from "./submit.ts";

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
