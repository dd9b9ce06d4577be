/** UI texts of the account pages (log in, register, password, verification, invitation, my account). */
import type { Lang } from "./i18n.ts";

const fi = {
  loginTitle: "Kirjaudu sisään",
  registerTitle: "Luo tili",
  accountTitle: "Oma tili",
  verifyTitle: "Sähköpostiosoitteen vahvistus",
  resetTitle: "Salasanan vaihto",
  inviteTitle: "Kutsu organisaatioon",
};
export type AccountMessages = typeof fi;

const sv: AccountMessages = {
  loginTitle: "Logga in",
  registerTitle: "Skapa konto",
  accountTitle: "Mitt konto",
  verifyTitle: "Bekräfta e-postadressen",
  resetTitle: "Byt lösenord",
  inviteTitle: "Inbjudan till organisation",
};

const en: AccountMessages = {
  loginTitle: "Log in",
  registerTitle: "Create an account",
  accountTitle: "My account",
  verifyTitle: "Confirm your email address",
  resetTitle: "Change your password",
  inviteTitle: "Invitation to an organisation",
};

export const ACCOUNT_MESSAGES: Record<Lang, AccountMessages> = { fi, sv, en };
