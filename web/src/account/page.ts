/**
 * /tili — my account: my details and organisations, log out, download my data, close my
 * account; for organisation admins also the members (role, removal, invitations) and the
 * organisation's API tokens (create: secret shown once; revoke). Every destructive action
 * asks for confirmation in place, with the keyboard focus moved to the question.
 */

import type { AccountMessages } from "../../../src/contract/i18n/account.ts";
import { api, currentUser, type Me, Problem } from "../lib/api-client.ts";
import { renderUserNav, setSignedInHint, withLang } from "../lib/common.ts";
import { copyText, h } from "../lib/dom.ts";
import { announce, clearErrors } from "../lib/forms.ts";
import { sitePath } from "../lib/site.ts";
import {
  type AccountPage,
  accountForm,
  actionError,
  checkEmail,
  checkNewPassword,
  field,
  formatDateTime,
  formErrors,
  formFailure,
  isBusy,
  link,
  loadingLine,
  logoutButton,
  problemErrors,
  resultPanel,
  showPasswordToggle,
  showResult,
  submitButton,
  whileBusy,
} from "./kit.ts";

interface Member {
  user_id: string;
  email: string;
  display_name: string;
  role: "member" | "admin";
  active: boolean;
}

interface Invitation {
  id: string;
  email: string;
  role: "member" | "admin";
  created_at: string;
  expires_at: string;
}

interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

type Membership = Me["memberships"][number];

const roleName = (role: string, t: AccountMessages) =>
  role === "admin" ? t.roleAdmin : role === "moderator" ? t.roleModerator : t.roleOrganiser;
const memberRoleName = (role: string, t: AccountMessages) =>
  role === "admin" ? t.memberRoleAdmin : t.memberRoleMember;

/**
 * DELETE with an empty JSON body. Chromium sends a body-less DELETE without Content-Length,
 * and the Node server's jsonBodies middleware (src/http/middleware.ts) then answers 415;
 * "{}" as application/json passes it, and the routes ignore it.
 */
const del = (path: string) => api("DELETE", path, {});

const LOCALE_NAMES: Record<string, string> = { fi: "suomi", sv: "svenska", en: "English" };

/**
 * Replaces `trigger` with an inline confirmation (question, confirm, cancel) and focuses the
 * question; cancel puts the trigger back and focuses it again.
 */
function confirmInPlace(
  trigger: HTMLButtonElement,
  question: string,
  confirmLabel: string,
  t: AccountMessages,
  onConfirm: (confirmButton: HTMLButtonElement) => Promise<void>,
): void {
  const text = h("p", { class: "confirm__question", tabindex: "-1" }, question);
  const yes = h("button", { type: "button", class: "button button--danger" }, confirmLabel);
  const no = h("button", { type: "button", class: "button button--secondary" }, t.cancelButton);
  const box = h(
    "div",
    { class: "confirm", role: "group", "aria-label": question },
    text,
    h("div", { class: "confirm__actions" }, yes, no),
  );
  const restore = () => {
    box.replaceWith(trigger);
    trigger.focus();
  };
  no.addEventListener("click", restore);
  box.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") restore();
  });
  yes.addEventListener("click", async () => {
    if (isBusy(yes)) return;
    await onConfirm(yes);
  });
  trigger.replaceWith(box);
  text.focus();
}

// ---------- profile ----------

function profileSection(page: AccountPage, me: Me): HTMLElement {
  const { t, lang } = page;
  const section = h(
    "section",
    { class: "account-section", "aria-labelledby": "profile-heading" },
    h("h2", { id: "profile-heading" }, t.profileHeading),
    h(
      "dl",
      { class: "facts" },
      h("div", {}, h("dt", {}, t.nameLabel), h("dd", { id: "me-name" }, me.user.display_name)),
      h("div", {}, h("dt", {}, t.emailLabel), h("dd", { id: "me-email" }, me.user.email)),
      h("div", {}, h("dt", {}, t.roleLabel), h("dd", { id: "me-role" }, roleName(me.role, t))),
      h(
        "div",
        {},
        h("dt", {}, t.langLabel),
        h("dd", { lang: me.user.locale }, LOCALE_NAMES[me.user.locale] ?? me.user.locale),
      ),
    ),
  );
  section.appendChild(
    h(
      "p",
      { class: "account-actions" },
      logoutButton(page, section, () => location.assign(withLang("/", lang))),
    ),
  );
  return section;
}

function organisationsSection(page: AccountPage, me: Me): HTMLElement {
  const { t } = page;
  return h(
    "section",
    { class: "account-section", "aria-labelledby": "orgs-heading" },
    h("h2", { id: "orgs-heading" }, t.orgsHeading),
    me.memberships.length === 0
      ? h("p", {}, t.noOrgs)
      : h(
          "ul",
          { class: "org-list" },
          ...me.memberships.map((m) =>
            h(
              "li",
              { class: "org-list__item" },
              h("span", { class: "org-list__name" }, m.organisation.name),
              h("span", { class: "org-list__role" }, `${t.yourRole}: ${memberRoleName(m.role, t)}`),
              m.organisation.trusted ? h("span", { class: "org-list__note" }, t.trustedOrg) : null,
            ),
          ),
        ),
  );
}

// ---------- organisation admin: members ----------

function membersBlock(page: AccountPage, me: Me, m: Membership): HTMLElement {
  const { t } = page;
  const orgId = m.organisation.id;
  const base = `/api/v1/organisations/${orgId}`;
  const slug = m.organisation.slug;
  const list = h("ul", { class: "member-list", id: `members-${slug}` });
  const status = h("div", { class: "live", id: `members-status-${slug}` });

  const row = (member: Member): HTMLElement => {
    const self = member.user_id === me.user.id;
    const name = member.display_name || member.email;
    const li = h(
      "li",
      { class: "member" },
      h(
        "div",
        { class: "member__who" },
        h("span", { class: "member__name" }, name, self ? ` ${t.you}` : ""),
        h("span", { class: "member__email" }, member.email),
        member.active ? null : h("span", { class: "member__status" }, t.statusInvited),
      ),
    );
    if (self) {
      li.appendChild(h("p", { class: "member__role" }, `${t.yourRole}: ${memberRoleName(member.role, t)}`));
      return li;
    }
    const selectId = `role-${slug}-${member.user_id}`;
    const select = h(
      "select",
      { id: selectId, name: "role" },
      h("option", { value: "member" }, t.memberRoleMember),
      h("option", { value: "admin" }, t.memberRoleAdmin),
    );
    select.value = member.role;
    const change = h("button", { type: "button", class: "button button--secondary" }, t.changeRole);
    change.appendChild(h("span", { class: "visually-hidden" }, `: ${name}`));
    const remove = h(
      "button",
      { type: "button", class: "button button--secondary button--danger-text" },
      t.removeButton,
    );
    remove.appendChild(h("span", { class: "visually-hidden" }, ` ${name}`));
    change.addEventListener("click", async () => {
      if (isBusy(change)) return;
      await whileBusy(change, t.sending, async () => {
        try {
          await api("PATCH", `${base}/members/${member.user_id}`, { role: select.value });
          member.role = select.value as Member["role"];
          announce(status, t.roleChanged(name, memberRoleName(member.role, t)));
        } catch (err) {
          actionError(status, err, t);
        }
      });
    });
    remove.addEventListener("click", () =>
      confirmInPlace(
        remove,
        t.confirmRemove(name, m.organisation.name),
        t.confirmYesRemove,
        t,
        async (yes) => {
          await whileBusy(yes, t.sending, async () => {
            try {
              await del(`${base}/members/${member.user_id}`);
            } catch (err) {
              actionError(status, err, t);
              return;
            }
            li.remove();
            const msg = announce(status, t.memberRemoved(name));
            msg.tabIndex = -1;
            msg.focus();
          });
        },
      ),
    );
    li.appendChild(
      h(
        "div",
        { class: "member__controls" },
        h(
          "div",
          { class: "field member__role-field" },
          h("label", { for: selectId }, t.memberRoleFor(name)),
          h("div", { class: "inline-controls" }, select, change),
        ),
        h("div", { class: "member__remove" }, remove),
      ),
    );
    return li;
  };

  const load = async () => {
    list.replaceChildren(h("li", {}, loadingLine(t.loadingText)));
    try {
      const { data } = await api<{ data: Member[] }>("GET", `${base}/members`);
      list.replaceChildren(...data.map(row));
    } catch (err) {
      list.replaceChildren();
      actionError(status, err, t);
    }
  };

  // Invite
  const email = field({ name: "email", label: t.inviteEmailLabel, type: "email", autocomplete: "off" });
  const roles = h(
    "fieldset",
    { class: "account-fieldset" },
    h("legend", {}, t.roleLegend),
    ...(["member", "admin"] as const).map((r) => {
      const id = `invite-role-${slug}-${r}`;
      const input = h("input", { type: "radio", name: "role", id, value: r });
      input.checked = r === "member";
      return h(
        "div",
        { class: "field--check" },
        input,
        h(
          "label",
          { for: id },
          h("span", { class: "radio-title" }, memberRoleName(r, t)),
          ` – ${r === "admin" ? t.roleAdminHint : t.roleMemberHint}`,
        ),
      );
    }),
  );
  const inviteButton = submitButton(t.inviteButton);
  const inviteForm = accountForm(email.wrap, roles, h("div", { class: "form-actions" }, inviteButton));
  inviteForm.id = `invite-${slug}`;
  const inviteStatus = h("div", { class: "live" });
  inviteForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (isBusy(inviteButton)) return;
    const error = checkEmail(email.input.value, t);
    if (error) {
      formErrors(inviteForm, [error], t);
      return;
    }
    clearErrors(inviteForm);
    const address = email.input.value.trim();
    const role = inviteForm.querySelector<HTMLInputElement>('input[name="role"]:checked')?.value ?? "member";
    await whileBusy(inviteButton, t.sending, async () => {
      try {
        // The answer is the same whether or not the address has an account: nobody joins
        // until they accept the emailed invitation.
        await api("POST", `${base}/invitations`, { email: address, role, locale: page.lang });
        email.input.value = "";
        announce(inviteStatus, t.inviteSent(address));
        await loadInvitations();
      } catch (err) {
        if (err instanceof Problem && err.status === 409) {
          formErrors(inviteForm, [{ path: "email", message: t.errAlreadyMember }], t);
        } else if (err instanceof Problem && err.status === 400) {
          formErrors(inviteForm, problemErrors(err, t), t);
        } else {
          formFailure(inviteForm, err, t);
        }
      }
    });
  });

  // Pending invitations: the addresses this organisation's admins typed, revocable.
  const invitations = h("ul", { class: "invitation-list", id: `invitations-${slug}` });
  const invitationRow = (inv: Invitation): HTMLElement => {
    const revoke = h(
      "button",
      { type: "button", class: "button button--secondary button--danger-text" },
      t.revokeInvite,
    );
    revoke.appendChild(h("span", { class: "visually-hidden" }, `: ${inv.email}`));
    const li = h(
      "li",
      { class: "member" },
      h(
        "div",
        { class: "member__who" },
        h("span", { class: "member__email" }, inv.email),
        h(
          "span",
          { class: "member__status" },
          `${memberRoleName(inv.role, t)} · ${t.inviteExpires(formatDateTime(inv.expires_at, page.lang))}`,
        ),
      ),
      h("div", { class: "member__controls" }, h("div", { class: "member__remove" }, revoke)),
    );
    revoke.addEventListener("click", () =>
      confirmInPlace(revoke, t.confirmRevokeInvite(inv.email), t.revokeInvite, t, async (yes) => {
        await whileBusy(yes, t.sending, async () => {
          try {
            await del(`${base}/invitations/${inv.id}`);
          } catch (err) {
            actionError(inviteStatus, err, t);
            return;
          }
          li.remove();
          if (!invitations.querySelector("li.member")) {
            invitations.replaceChildren(h("li", {}, t.noPendingInvites));
          }
          const msg = announce(inviteStatus, t.inviteRevoked(inv.email));
          msg.tabIndex = -1;
          msg.focus();
        });
      }),
    );
    return li;
  };
  const loadInvitations = async () => {
    try {
      const { data } = await api<{ data: Invitation[] }>("GET", `${base}/invitations`);
      invitations.replaceChildren(
        ...(data.length ? data.map(invitationRow) : [h("li", {}, t.noPendingInvites)]),
      );
    } catch (err) {
      invitations.replaceChildren();
      actionError(inviteStatus, err, t);
    }
  };

  void load();
  void loadInvitations();
  return h(
    "div",
    { class: "subsection" },
    h("h3", {}, t.membersHeading),
    status,
    list,
    h("h3", {}, t.inviteHeading),
    inviteStatus,
    inviteForm,
    h("h3", {}, t.pendingInvitesHeading),
    invitations,
  );
}

// ---------- organisation admin: API tokens ----------

function tokensBlock(page: AccountPage, m: Membership): HTMLElement {
  const { t, lang } = page;
  const base = `/api/v1/organisations/${m.organisation.id}/tokens`;
  const slug = m.organisation.slug;
  const status = h("div", { class: "live" });
  const list = h("ul", { class: "token-list", id: `tokens-${slug}` });
  const secretArea = h("div", {});

  const row = (tok: ApiToken): HTMLElement => {
    const revoked = tok.revoked_at !== null;
    const li = h(
      "li",
      { class: `token${revoked ? " token--revoked" : ""}` },
      h("span", { class: "token__name" }, tok.name),
      h(
        "dl",
        { class: "token__facts" },
        h("div", {}, h("dt", {}, t.tokenStatus), h("dd", {}, revoked ? t.tokenRevoked : t.tokenActive)),
        h("div", {}, h("dt", {}, t.tokenPrefix), h("dd", { class: "mono" }, `${tok.prefix}…`)),
        h("div", {}, h("dt", {}, t.tokenCreated), h("dd", {}, formatDateTime(tok.created_at, lang))),
        h(
          "div",
          {},
          h("dt", {}, t.tokenLastUsed),
          h("dd", {}, tok.last_used_at ? formatDateTime(tok.last_used_at, lang) : t.tokenNeverUsed),
        ),
      ),
    );
    if (!revoked) {
      const revoke = h(
        "button",
        { type: "button", class: "button button--secondary button--danger-text" },
        t.revokeButton,
      );
      revoke.appendChild(h("span", { class: "visually-hidden" }, ` ${tok.name}`));
      revoke.addEventListener("click", () =>
        confirmInPlace(revoke, t.confirmRevoke(tok.name), t.confirmYesRevoke, t, async (yes) => {
          await whileBusy(yes, t.sending, async () => {
            try {
              await del(`${base}/${tok.id}`);
            } catch (err) {
              actionError(status, err, t);
              return;
            }
            const msg = announce(status, t.tokenRevokedMsg(tok.name));
            await load();
            msg.tabIndex = -1;
            msg.focus();
          });
        }),
      );
      li.appendChild(h("div", { class: "token__actions" }, revoke));
    }
    return li;
  };

  async function load(): Promise<void> {
    try {
      const { data } = await api<{ data: ApiToken[] }>("GET", base);
      list.replaceChildren(...(data.length ? data.map(row) : [h("li", { class: "empty" }, t.noTokens)]));
    } catch (err) {
      actionError(status, err, t);
    }
  }

  const name = field({ name: "name", label: t.tokenNameLabel, hint: t.tokenNameHint, maxlength: 100 });
  const createButton = submitButton(t.createTokenButton);
  const form = accountForm(name.wrap, h("div", { class: "form-actions" }, createButton));
  form.id = `token-form-${slug}`;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (isBusy(createButton)) return;
    const tokenName = name.input.value.trim();
    if (!tokenName) {
      formErrors(form, [{ path: "name", message: t.errTokenName }], t);
      return;
    }
    clearErrors(form);
    await whileBusy(createButton, t.sending, async () => {
      let created: { token: string; name: string };
      try {
        created = await api("POST", base, { name: tokenName });
      } catch (err) {
        formFailure(form, err, t);
        return;
      }
      name.input.value = "";
      showSecret(created.name, created.token);
      await load();
    });
  });

  function showSecret(tokenName: string, secret: string): void {
    const inputId = `secret-${slug}`;
    const input = h("input", {
      id: inputId,
      type: "text",
      readonly: "",
      class: "mono secret__value",
      spellcheck: "false",
      autocomplete: "off",
    });
    input.value = secret;
    input.addEventListener("focus", () => input.select());
    const copyStatus = h("p", { class: "copy-status", role: "status" });
    const copy = h("button", { type: "button", class: "button" }, t.copyButton);
    copy.addEventListener("click", async () => {
      copyStatus.textContent = (await copyText(secret, input)) ? t.copied : t.copyFailed;
    });
    const done = h("button", { type: "button", class: "button button--secondary" }, t.secretDone);
    const heading = h("h4", { tabindex: "-1", class: "secret__title" }, t.secretHeading(tokenName));
    const box = h(
      "div",
      { class: "secret", role: "region", "aria-label": t.secretHeading(tokenName) },
      heading,
      h("p", { class: "secret__warning" }, h("strong", {}, t.secretWarning)),
      h(
        "div",
        { class: "field" },
        h("label", { for: inputId }, t.secretLabel),
        h("div", { class: "copy-row" }, input, copy),
      ),
      copyStatus,
      h("p", {}, done),
    );
    done.addEventListener("click", () => {
      secretArea.replaceChildren();
      name.input.focus();
    });
    secretArea.replaceChildren(box);
    heading.focus();
  }

  void load();
  return h(
    "div",
    { class: "subsection" },
    h("h3", {}, t.tokensHeading),
    h("p", {}, t.tokensIntro),
    status,
    list,
    secretArea,
    h("h4", {}, t.newTokenHeading),
    form,
  );
}

function manageSection(page: AccountPage, me: Me, m: Membership): HTMLElement {
  const id = `manage-${m.organisation.slug}`;
  return h(
    "section",
    { class: "account-section", "aria-labelledby": id },
    h("h2", { id }, page.t.manageHeading(m.organisation.name)),
    membersBlock(page, me, m),
    tokensBlock(page, m),
  );
}

// ---------- password ----------

function passwordSection(page: AccountPage, me: Me): HTMLElement {
  const { t } = page;
  const current = field({
    name: "current_password",
    label: t.currentPasswordLabel,
    type: "password",
    autocomplete: "current-password",
    id: "current-password",
  });
  const next = field({
    name: "new_password",
    label: t.newPasswordLabel,
    type: "password",
    autocomplete: "new-password",
    hint: t.passwordRules,
    id: "new-password",
  });
  const again = field({
    name: "new_password_again",
    label: t.confirmPasswordLabel,
    type: "password",
    autocomplete: "new-password",
    id: "new-password-again",
  });
  const button = submitButton(t.changePasswordButton);
  const status = h("div", { class: "live", id: "password-status" });
  const form = accountForm(
    current.wrap,
    next.wrap,
    again.wrap,
    showPasswordToggle(t.showPassword, [current.input, next.input, again.input]),
    h("div", { class: "form-actions" }, button),
  );
  form.id = "password-form";
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (isBusy(button)) return;
    const pw = next.input.value;
    const newError = checkNewPassword(pw, t, "new_password", me.user.email);
    const errors = [
      current.input.value ? null : { path: "current_password", message: t.errPasswordRequired },
      newError,
      !newError && again.input.value !== pw
        ? { path: "new_password_again", message: t.errPasswordMismatch }
        : null,
    ].filter((e) => e !== null);
    if (errors.length > 0) {
      formErrors(form, errors, t);
      return;
    }
    clearErrors(form);
    await whileBusy(button, t.sending, async () => {
      try {
        await api("POST", "/api/v1/me/password", { current_password: current.input.value, new_password: pw });
      } catch (err) {
        current.input.value = "";
        formFailure(form, err, t);
        return;
      }
      for (const input of [current.input, next.input, again.input]) input.value = "";
      const msg = announce(status, t.passwordChanged);
      msg.tabIndex = -1;
      msg.focus();
    });
  });
  return h(
    "section",
    { class: "account-section", "aria-labelledby": "password-heading" },
    h("h2", { id: "password-heading" }, t.passwordHeading),
    h("p", {}, t.passwordIntro),
    status,
    form,
  );
}

// ---------- my data ----------

function dataSection(page: AccountPage): HTMLElement {
  const { t, lang, root } = page;
  const status = h("div", { class: "live" });
  const start = h(
    "button",
    { type: "button", class: "button button--secondary button--danger-text", id: "delete-start" },
    t.deleteButton,
  );
  const area = h("div", {}, start);
  start.addEventListener("click", () => {
    const checkId = "delete-confirm";
    const check = h("input", { type: "checkbox", id: checkId, name: "confirm" });
    const yes = submitButton(t.deleteConfirmButton);
    yes.classList.add("button--danger");
    const cancel = h("button", { type: "button", class: "button button--secondary" }, t.cancelButton);
    const legend = h("legend", { tabindex: "-1" }, t.deleteHeading);
    const password = field({
      name: "password",
      label: t.deletePasswordLabel,
      type: "password",
      autocomplete: "current-password",
      id: "delete-password",
    });
    const form = accountForm(
      h(
        "fieldset",
        { class: "confirm" },
        legend,
        h("p", {}, t.deleteIntro),
        h(
          "div",
          { class: "field--check account-check" },
          check,
          h("label", { for: checkId }, t.deleteConfirmCheck),
        ),
        password.wrap,
        h("div", { class: "confirm__actions" }, yes, cancel),
      ),
    );
    form.id = "delete-form";
    const close = () => {
      area.replaceChildren(start);
      start.focus();
    };
    cancel.addEventListener("click", close);
    form.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") close();
    });
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (isBusy(yes)) return;
      const errors = [
        check.checked ? null : { path: "confirm", message: t.errConfirmDelete },
        password.input.value ? null : { path: "password", message: t.errPasswordRequired },
      ].filter((e) => e !== null);
      if (errors.length > 0) {
        formErrors(form, errors, t);
        return;
      }
      await whileBusy(yes, t.sending, async () => {
        try {
          await api("DELETE", "/api/v1/me", { password: password.input.value });
        } catch (err) {
          password.input.value = "";
          formFailure(form, err, t);
          return;
        }
        setSignedInHint(null);
        renderUserNav(lang);
        showResult(
          root,
          resultPanel(
            "ok",
            t.deletedTitle,
            h("p", {}, t.deleted),
            h("p", { class: "result__actions" }, link("/", lang, t.backHome, "button")),
          ),
        );
      });
    });
    area.replaceChildren(form);
    legend.focus();
  });
  return h(
    "section",
    { class: "account-section", "aria-labelledby": "data-heading" },
    h("h2", { id: "data-heading" }, t.dataHeading),
    h("p", {}, t.exportIntro),
    h(
      "p",
      {},
      h(
        "a",
        {
          href: sitePath("/api/v1/me/export"),
          download: "kuntakalenteri-data.json",
          class: "button button--secondary",
          id: "export",
        },
        t.exportButton,
      ),
    ),
    h("h3", {}, t.deleteHeading),
    status,
    area,
  );
}

// ---------- the page ----------

export async function accountPage(page: AccountPage): Promise<void> {
  const { t, lang, root } = page;
  root.replaceChildren(loadingLine(t.loadingText));
  let me: Me | null;
  try {
    me = await currentUser();
  } catch (err) {
    const retry = h("button", { type: "button", class: "button" }, t.retryButton);
    retry.addEventListener("click", () => void accountPage(page));
    root.replaceChildren(
      h(
        "div",
        { class: "notice notice--error", role: "alert" },
        h("p", {}, err instanceof Problem && err.status === 0 ? t.errNetwork : t.loadFailed),
        h("p", {}, retry),
      ),
    );
    return;
  }
  renderUserNav(lang);
  if (!me) {
    root.replaceChildren(
      h(
        "div",
        { class: "notice" },
        h("p", {}, t.notSignedIn),
        h("p", {}, link("/kirjaudu?next=/tili", lang, t.loginTitle, "button")),
        h("p", {}, `${t.noAccount} `, link("/rekisteroidy", lang, t.createAccountLink)),
      ),
    );
    return;
  }
  const admin = me.memberships.filter((m) => m.role === "admin");
  root.replaceChildren(
    profileSection(page, me),
    organisationsSection(page, me),
    ...admin.map((m) => manageSection(page, me, m)),
    passwordSection(page, me),
    dataSection(page),
  );
}
