/** The account pages (web/src/pages.ts): language, chrome, then the page's own view by <body data-page>. */
import { applyChrome } from "./common.ts";
import { ACCOUNT_MESSAGES } from "./i18n-account.ts";

const { lang } = applyChrome(undefined, ACCOUNT_MESSAGES);
void lang;
