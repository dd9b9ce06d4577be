/** The account pages (src/contract/pages.ts): language, chrome, then the page's own view by <body data-page>. */
import "./account.css";
import { ACCOUNT_MESSAGES } from "../../src/contract/i18n/account.ts";
import { invitePage, loginPage, registerPage, resetPage, verifyPage } from "./account-auth.ts";
import type { AccountPage } from "./account-kit.ts";
import { accountPage } from "./account-page.ts";
import { applyChrome } from "./common.ts";
import { byId } from "./dom.ts";

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
