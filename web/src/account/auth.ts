/**
 * The signed-out account pages: log in (/kirjaudu), register (/rekisteroidy), confirm the
 * email address (/tili/vahvista), reset the password (/tili/salasana) and accept an
 * invitation (/tili/kutsu: a new person chooses a password; an existing account signs in and
 * accepts). Tokens from email links are read once and removed from the URL.
 */

import { ADMIN_MESSAGES } from "../../../src/contract/i18n/admin.ts";
import { LANGS } from "../../../src/contract/i18n/resident.ts";
import { api, currentUser, type FieldError, Problem } from "../lib/api-client.ts";
import { renderUserNav, withLang } from "../lib/common.ts";
import { h } from "../lib/dom.ts";
import { clearErrors } from "../lib/forms.ts";
import {
  type AccountPage,
  accountForm,
  actionError,
  checkEmail,
  checkNewPassword,
  field,
  formErrors,
  formFailure,
  isBusy,
  link,
  loadingLine,
  logoutButton,
  resultPanel,
  safeNext,
  showPasswordToggle,
  showResult,
  submitButton,
  takeToken,
  whileBusy,
} from "./kit.ts";

const intro = (text: string) => h("p", { class: "intro" }, text);

/** Runs the form's checks; shows the errors and returns false when there are any. */
function check(form: HTMLFormElement, errors: (FieldError | null)[], page: AccountPage): boolean {
  const found = errors.filter((e): e is FieldError => e !== null);
  if (found.length > 0) {
    formErrors(form, found, page.t);
    return false;
  }
  clearErrors(form);
  return true;
}

// ---------- /kirjaudu ----------

export function loginPage(page: AccountPage): void {
  const { t, lang, root } = page;
  const next = safeNext(new URLSearchParams(location.search).get("next"));
  const email = field({ name: "email", label: t.emailLabel, type: "email", autocomplete: "email" });
  const password = field({
    name: "password",
    label: t.passwordLabel,
    type: "password",
    autocomplete: "current-password",
  });
  const button = submitButton(t.loginButton);
  const status = h("p", { class: "form-status", role: "status" });
  const form = accountForm(
    email.wrap,
    password.wrap,
    showPasswordToggle(t.showPassword, [password.input]),
    h("div", { class: "form-actions" }, button),
    status,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (isBusy(button)) return;
    const ok = check(
      form,
      [
        checkEmail(email.input.value, t),
        password.input.value ? null : { path: "password", message: t.errPasswordRequired },
      ],
      page,
    );
    if (!ok) return;
    await whileBusy(button, t.sending, async () => {
      // The server checks ?next= too and answers with the normalised same-site path (or null).
      let target = next;
      try {
        const res = await api<{ next?: string | null }>("POST", "/api/v1/auth/login", {
          email: email.input.value.trim(),
          password: password.input.value,
          ...(next ? { next } : {}),
        });
        target = safeNext(res?.next ?? null);
      } catch (err) {
        if (err instanceof Problem && err.status === 401) {
          formErrors(form, [{ path: "password", message: t.errWrongCredentials }], t);
          password.input.value = "";
        } else if (err instanceof Problem && err.status === 403 && !/cross-site/i.test(err.detail ?? "")) {
          formErrors(form, [{ path: "email", message: t.errNotVerified }], t);
        } else {
          formFailure(form, err, t);
        }
        return;
      }
      status.textContent = t.loginOk;
      try {
        await currentUser(); // remembers the name for the header menu
      } catch {
        // The menu then shows "Log in" until the next page asks the API; the session is fine.
      }
      location.assign(withLang(target ?? "/omat", lang));
    });
  });
  root.replaceChildren(
    intro(t.loginIntro),
    form,
    h(
      "ul",
      { class: "account-links" },
      h("li", {}, link("/tili/salasana", lang, t.forgotPassword)),
      h("li", {}, `${t.noAccount} `, link("/rekisteroidy", lang, t.createAccountLink)),
      h("li", {}, link("/ilmoita", lang, t.noAccountNeeded)),
    ),
  );
  // Already logged in (another tab, the back button, a bookmark): say so and offer to go
  // on, or to log out first; the form stays for logging in with another account.
  void currentUser()
    .then((me) => {
      if (!me) return;
      const notice = h(
        "div",
        { class: "notice notice--ok", id: "signed-in-notice", role: "status" },
        h("p", {}, t.alreadySignedIn(me.user.display_name || me.user.email)),
        h("p", {}, t.alreadySignedInHint),
      );
      const actions = h(
        "p",
        { class: "result__actions" },
        link(next ?? "/omat", lang, t.continueButton, "button"),
        " ",
        logoutButton(page, notice, () => {
          notice.replaceChildren(h("p", {}, t.signedOut));
          renderUserNav(lang);
          email.input.focus();
        }),
      );
      notice.appendChild(actions);
      root.insertBefore(notice, root.firstChild);
    })
    .catch(() => {
      // No answer about the session: the form works either way.
    });
}

// ---------- /rekisteroidy ----------

export function registerPage(page: AccountPage): void {
  const { t, lang, root } = page;
  const name = field({
    name: "display_name",
    label: t.nameLabel,
    autocomplete: "name",
    hint: t.nameHint,
    maxlength: 100,
  });
  const email = field({ name: "email", label: t.emailLabel, type: "email", autocomplete: "email" });
  const password = field({
    name: "password",
    label: t.passwordLabel,
    type: "password",
    autocomplete: "new-password",
    hint: t.passwordRules,
  });
  const locale = h(
    "fieldset",
    { class: "account-fieldset" },
    h("legend", {}, t.localeLegend),
    h(
      "div",
      { class: "radio-row" },
      ...LANGS.map((l) => {
        const id = `locale-${l}`;
        const input = h("input", { type: "radio", name: "locale", id, value: l, "data-field": "locale" });
        input.checked = l === lang;
        const names = { fi: "suomi", sv: "svenska", en: "English" } as const;
        return h("div", { class: "field--check" }, input, h("label", { for: id, lang: l }, names[l]));
      }),
    ),
  );
  const button = submitButton(t.registerButton);
  const form = accountForm(
    h("p", { class: "form-note" }, t.requiredNote),
    name.wrap,
    email.wrap,
    password.wrap,
    showPasswordToggle(t.showPassword, [password.input]),
    locale,
    h("div", { class: "form-actions" }, button),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (isBusy(button)) return;
    const ok = check(
      form,
      [
        name.input.value.trim() ? null : { path: "display_name", message: t.errNameRequired },
        checkEmail(email.input.value, t),
        checkNewPassword(password.input.value, t, "password", email.input.value),
      ],
      page,
    );
    if (!ok) return;
    const chosen = form.querySelector<HTMLInputElement>('input[name="locale"]:checked')?.value ?? lang;
    await whileBusy(button, t.sending, async () => {
      try {
        await api("POST", "/api/v1/auth/register", {
          display_name: name.input.value.trim(),
          email: email.input.value.trim(),
          password: password.input.value,
          locale: chosen,
        });
      } catch (err) {
        formFailure(form, err, t);
        return;
      }
      showResult(
        root,
        resultPanel(
          "ok",
          t.checkEmailTitle,
          h("p", {}, t.registerDone(email.input.value.trim())),
          h("p", {}, t.registerDoneHelp),
          h(
            "p",
            { class: "result__actions" },
            link("/kirjaudu", lang, t.loginTitle, "button"),
            link("/tili/salasana", lang, t.forgotPassword, "button button--secondary"),
          ),
        ),
      );
    });
  });
  root.replaceChildren(
    intro(t.registerIntro),
    form,
    h("p", { class: "account-links" }, `${t.haveAccount} `, link("/kirjaudu", lang, t.loginTitle)),
  );
}

// ---------- /tili/vahvista ----------

export async function verifyPage(page: AccountPage): Promise<void> {
  const { t, lang, root } = page;
  const token = takeToken();
  const failure = (message: string) =>
    showResult(
      root,
      resultPanel(
        "error",
        t.verifyFailTitle,
        h("p", {}, message),
        h("p", {}, t.verifyFailHelp),
        h(
          "p",
          { class: "result__actions" },
          link("/kirjaudu", lang, t.loginTitle, "button"),
          link("/tili/salasana", lang, t.requestNewLink, "button button--secondary"),
        ),
      ),
    );
  if (!token) {
    failure(t.errTokenMissing);
    return;
  }
  root.replaceChildren(loadingLine(t.verifying));
  try {
    await api("POST", "/api/v1/auth/verify-email", { token });
  } catch (err) {
    const p = err instanceof Problem ? err : null;
    if (p?.status === 400) failure(t.errTokenInvalid);
    else failure(p?.status === 0 ? t.errNetwork : p?.status === 429 ? t.errRateLimited : t.errServer);
    return;
  }
  showResult(
    root,
    resultPanel(
      "ok",
      t.verifyOkTitle,
      h("p", {}, t.verifyOk),
      h("p", { class: "result__actions" }, link("/kirjaudu", lang, t.loginTitle, "button")),
    ),
  );
}

// ---------- new password (reset and invitation) ----------

interface NewPasswordOptions {
  intro: string | Node[];
  /** Where the token and password go (default: the password reset confirmation). */
  endpoint?: string;
  /** Extra fields for the endpoint (e.g. the page language). */
  extra?: Record<string, unknown>;
  withName: boolean;
  button: string;
  done: () => HTMLElement;
  /** Runs after the password is set (with the account's email); true when it took over. */
  afterSet?: (email: string, password: string) => Promise<boolean>;
}

/** The form that sets a password with an emailed token (and, for invitations, the name). */
function newPasswordForm(page: AccountPage, token: string, opts: NewPasswordOptions): void {
  const { t, lang, root } = page;
  const name = opts.withName
    ? field({
        name: "display_name",
        label: t.nameLabel,
        autocomplete: "name",
        hint: t.nameHint,
        maxlength: 100,
      })
    : null;
  const password = field({
    name: "password",
    label: t.newPasswordLabel,
    type: "password",
    autocomplete: "new-password",
    hint: t.passwordRules,
  });
  const again = field({
    name: "password_again",
    label: t.confirmPasswordLabel,
    type: "password",
    autocomplete: "new-password",
  });
  const button = submitButton(opts.button);
  const form = accountForm(
    h("p", { class: "form-note" }, t.requiredNote),
    name?.wrap ?? null,
    password.wrap,
    again.wrap,
    showPasswordToggle(t.showPassword, [password.input, again.input]),
    h("div", { class: "form-actions" }, button),
  );
  const tokenFailure = () =>
    showResult(
      root,
      resultPanel(
        "error",
        t.errTokenInvalid,
        h("p", {}, t.verifyFailHelp),
        h(
          "p",
          { class: "result__actions" },
          link("/tili/salasana", lang, t.requestNewLink, "button"),
          link("/kirjaudu", lang, t.loginTitle, "button button--secondary"),
        ),
      ),
    );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (isBusy(button)) return;
    const pw = password.input.value;
    const ok = check(
      form,
      [
        name && !name.input.value.trim() ? { path: "display_name", message: t.errNameRequired } : null,
        checkNewPassword(pw, t),
        !checkNewPassword(pw, t) && again.input.value !== pw
          ? { path: "password_again", message: t.errPasswordMismatch }
          : null,
      ],
      page,
    );
    if (!ok) return;
    await whileBusy(button, t.sending, async () => {
      let email = "";
      try {
        const res = await api<{ email?: string }>(
          "POST",
          opts.endpoint ?? "/api/v1/auth/password-reset/confirm",
          { token, password: pw, ...(name ? { display_name: name.input.value.trim() } : {}), ...opts.extra },
        );
        email = res?.email ?? "";
      } catch (err) {
        if (err instanceof Problem && err.status === 400 && err.errors.some((e) => e.path === "token")) {
          tokenFailure();
        } else {
          formFailure(form, err, t);
        }
        return;
      }
      if (email && opts.afterSet && (await opts.afterSet(email, pw))) return;
      showResult(root, opts.done());
    });
  });
  root.replaceChildren(...(typeof opts.intro === "string" ? [intro(opts.intro)] : opts.intro), form);
}

// ---------- /tili/salasana ----------

export function resetPage(page: AccountPage): void {
  const { t, lang, root } = page;
  const token = takeToken();
  if (token) {
    newPasswordForm(page, token, {
      intro: t.newPasswordIntro,
      withName: false,
      button: t.savePasswordButton,
      done: () =>
        resultPanel(
          "ok",
          t.resetDoneTitle,
          h("p", {}, t.resetDone),
          h("p", { class: "result__actions" }, link("/kirjaudu", lang, t.loginTitle, "button")),
        ),
    });
    return;
  }
  const email = field({ name: "email", label: t.emailLabel, type: "email", autocomplete: "email" });
  const button = submitButton(t.resetSendButton);
  const form = accountForm(email.wrap, h("div", { class: "form-actions" }, button));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (isBusy(button)) return;
    if (!check(form, [checkEmail(email.input.value, t)], page)) return;
    await whileBusy(button, t.sending, async () => {
      try {
        await api("POST", "/api/v1/auth/password-reset", { email: email.input.value.trim() });
      } catch (err) {
        formFailure(form, err, t);
        return;
      }
      showResult(
        root,
        resultPanel(
          "ok",
          t.checkEmailTitle,
          h("p", {}, t.resetSent(email.input.value.trim())),
          h("p", { class: "result__actions" }, link("/kirjaudu", lang, t.loginTitle, "button")),
        ),
      );
    });
  });
  root.replaceChildren(
    intro(t.resetIntro),
    form,
    h("p", { class: "account-links" }, link("/kirjaudu", lang, t.loginTitle)),
  );
}

// ---------- /tili/kutsu ----------

interface InvitationInfo {
  organisation: { id: string; slug: string; name: string };
  role: "member" | "admin";
  email: string;
  expires_at: string;
  has_account: boolean;
}

/** A staff invitation (/tili/kutsu?henkilokunta=1): to a municipality's staff, not an organisation. */
interface StaffInvitationInfo {
  municipality: { id: string; slug: string; name: Record<string, string> };
  role: "moderator" | "admin";
  email: string;
  expires_at: string;
  has_account: boolean;
}

/** What the page needs of either kind of invitation. */
interface Invitation {
  /** The API's invitation endpoints: /api/v1/invitations or /api/v1/staff-invitations. */
  base: string;
  email: string;
  has_account: boolean;
  /** The organisation's or the municipality's name. */
  name: string;
  heading: string;
  acceptedText: string;
  /** Where the invitee goes afterwards. */
  next: string;
}

/**
 * Accepting an invitation. The page first asks what the token is for. A person without an
 * account chooses a name and a password (the token confirms the address) and is signed in.
 * An existing account accepts while signed in as the invited address: the page offers to
 * sign in here (the token stays in memory, not in the URL), or, when another account is
 * signed in, to log out first.
 */
export function invitePage(page: AccountPage): void {
  const { t, lang, root } = page;
  const staff = new URLSearchParams(location.search).has("henkilokunta");
  const base = staff ? "/api/v1/staff-invitations" : "/api/v1/invitations";
  const token = takeToken();
  const invalid = (detail: string) =>
    showResult(
      root,
      resultPanel(
        "error",
        t.errTokenInvalid,
        h("p", {}, detail),
        h("p", { class: "result__actions" }, link("/kirjaudu", lang, t.loginTitle, "button")),
      ),
    );
  if (!token) {
    invalid(t.errTokenMissing);
    return;
  }
  root.replaceChildren(loadingLine(t.loadingText));
  void (async () => {
    let info: Invitation;
    try {
      const raw = await api<InvitationInfo | StaffInvitationInfo>("POST", `${base}/lookup`, { token });
      info = describeInvitation(base, raw, page);
    } catch (err) {
      if (err instanceof Problem && err.status === 400) invalid(t.verifyFailHelp);
      else showResult(root, resultPanel("error", t.errTokenInvalid, h("p", {}, String(err))));
      return;
    }
    const heading = [
      h("p", { class: "intro", id: "invite-from" }, info.heading),
      h("p", {}, t.inviteSentTo(info.email)),
    ];
    const accepted = () =>
      showResult(
        root,
        resultPanel(
          "ok",
          t.inviteAcceptedTitle,
          h("p", {}, info.acceptedText),
          h("p", { class: "result__actions" }, link(info.next, lang, t.continueButton, "button")),
        ),
      );
    if (!info.has_account) {
      newPasswordForm(page, token, {
        intro: [...heading, intro(t.inviteIntro)],
        endpoint: `${base}/accept-new`,
        extra: { locale: lang },
        withName: true,
        button: t.acceptInviteButton,
        done: () =>
          resultPanel(
            "ok",
            t.inviteDoneTitle,
            h("p", {}, t.inviteDone),
            h(
              "p",
              { class: "result__actions" },
              link(`/kirjaudu?next=${info.next}`, lang, t.loginTitle, "button"),
            ),
          ),
        // The account is ready: sign the person in and show their account with the organisation.
        // If that fails (e.g. rate limit), the result panel above offers the login page instead.
        afterSet: async (email, password) => {
          try {
            await api("POST", "/api/v1/auth/login", { email, password });
            await currentUser();
          } catch {
            return false;
          }
          location.assign(withLang(info.next, lang));
          return true;
        },
      });
      return;
    }
    existingAccount(page, token, info, heading, accepted);
  })();
}

/** The invited address has an account: accept as it (signing in here first if needed). */
async function existingAccount(
  page: AccountPage,
  token: string,
  info: Invitation,
  heading: HTMLElement[],
  accepted: () => void,
): Promise<void> {
  const { t, root } = page;
  const me = await currentUser().catch(() => null);
  const status = h("div", { class: "live" });
  const accept = async (form: HTMLFormElement | null) => {
    try {
      await api("POST", `${info.base}/accept`, { token });
    } catch (err) {
      if (form) formFailure(form, err, t);
      else actionError(status, err, t);
      return;
    }
    accepted();
  };
  if (me && me.user.email === info.email) {
    const button = submitButton(t.inviteAcceptButton);
    const form = accountForm(h("div", { class: "form-actions" }, button));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (isBusy(button)) return;
      await whileBusy(button, t.sending, () => accept(form));
    });
    root.replaceChildren(...heading, status, form);
    return;
  }
  if (me) {
    const notice = h(
      "div",
      { class: "notice", id: "signed-in-notice", role: "status" },
      h("p", {}, t.inviteWrongAccount(me.user.display_name || me.user.email, info.email)),
    );
    notice.appendChild(
      h(
        "p",
        { class: "result__actions" },
        logoutButton(page, notice, () => {
          renderUserNav(page.lang);
          void existingAccount(page, token, info, heading, accepted);
        }),
      ),
    );
    root.replaceChildren(...heading, notice);
    return;
  }
  const email = field({ name: "email", label: t.emailLabel, type: "email", autocomplete: "email" });
  email.input.value = info.email;
  email.input.readOnly = true;
  const password = field({
    name: "password",
    label: t.passwordLabel,
    type: "password",
    autocomplete: "current-password",
  });
  const button = submitButton(t.inviteSignInButton);
  const form = accountForm(
    email.wrap,
    password.wrap,
    showPasswordToggle(t.showPassword, [password.input]),
    h("div", { class: "form-actions" }, button),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (isBusy(button)) return;
    if (
      !check(form, [password.input.value ? null : { path: "password", message: t.errPasswordRequired }], page)
    ) {
      return;
    }
    await whileBusy(button, t.sending, async () => {
      try {
        await api("POST", "/api/v1/auth/login", { email: info.email, password: password.input.value });
      } catch (err) {
        if (err instanceof Problem && err.status === 401) {
          formErrors(form, [{ path: "password", message: t.errWrongCredentials }], t);
          password.input.value = "";
        } else {
          formFailure(form, err, t);
        }
        return;
      }
      renderUserNav(page.lang);
      await accept(form);
    });
  });
  root.replaceChildren(...heading, intro(t.inviteSignInIntro), form);
}

/** The page's view of an organisation or a staff invitation. */
function describeInvitation(
  base: string,
  raw: InvitationInfo | StaffInvitationInfo,
  page: AccountPage,
): Invitation {
  const { t, lang } = page;
  if ("municipality" in raw) {
    const a = ADMIN_MESSAGES[lang];
    const name = raw.municipality.name[lang] ?? raw.municipality.name.fi ?? raw.municipality.slug;
    const role = raw.role === "admin" ? a.admRoleAdmin : a.admRoleModerator;
    return {
      base,
      email: raw.email,
      has_account: raw.has_account,
      name,
      heading: a.staffInviteFrom(name, role),
      acceptedText: a.staffInviteAccepted(name),
      next: raw.role === "admin" ? "/hallinta" : "/moderointi",
    };
  }
  const role = raw.role === "admin" ? t.memberRoleAdmin : t.memberRoleMember;
  return {
    base,
    email: raw.email,
    has_account: raw.has_account,
    name: raw.organisation.name,
    heading: t.inviteFrom(raw.organisation.name, role),
    acceptedText: t.inviteAccepted(raw.organisation.name),
    next: "/tili",
  };
}
