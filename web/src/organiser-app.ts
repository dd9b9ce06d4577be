/** The organiser pages (web/src/pages.ts): language, chrome, then the page's own view by <body data-page>. */
import { applyChrome } from "./common.ts";
import { ORGANISER_MESSAGES } from "./i18n-organiser.ts";

const { lang } = applyChrome(undefined, ORGANISER_MESSAGES);
void lang;
