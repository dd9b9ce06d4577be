/** The account pages (src/contract/pages.ts): language, chrome, then the page's own view by <body data-page>. */
import "../styles/account.css";
import { ACCOUNT_MESSAGES } from "../../../src/contract/i18n/account.ts";
import { applyChrome } from "../lib/common.ts";
import { byId } from "../lib/dom.ts";
import { invitePage, loginPage, registerPage, resetPage, verifyPage } from "./auth.ts";
import type { AccountPage } from "./kit.ts";
import { accountPage } from "./page.ts";

const { lang } = applyChrome(undefined, ACCOUNT_MESSAGES);
const page: AccountPage = { lang, t: ACCOUNT_MESSAGES[lang], root: byId("app") };

const views: Record<string, (p: AccountPage) => unknown> = {
  kirjaudu: loginPage,
  rekisteroidy: registerPage,
  tili: accountPage,
  "tili-vahvista": verifyPage,
  "tili-salasana": resetPage,
  "tili-kutsu": invitePage,
};

void views[document.body.dataset.page ?? ""]?.(page);
