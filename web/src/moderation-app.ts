/** The moderation pages (web/src/pages.ts): language, chrome, then the page's own view by <body data-page>. */
import { applyChrome } from "./common.ts";
import { MODERATION_MESSAGES } from "./i18n-moderation.ts";

const { lang } = applyChrome(undefined, MODERATION_MESSAGES);
void lang;
