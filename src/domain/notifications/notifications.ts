/**
 * Notification templates in fi/sv/en and the helpers that enqueue them. Notifications
 * are written to the outbox inside the transaction of the change that causes them; the
 * renderer turns one into an email in the recipient's language with a link to the page.
 */
import { and, eq, inArray, isNull } from "drizzle-orm";
import { LOCALES, type Locale, type LocalizedText } from "../../contract/codes.ts";
import { events, municipalityStaff, organisations, submitters, users } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { pickText } from "../i18n-text.ts";
import { siteName, siteUrl } from "../site.ts";
import type { MailMessage, Notification, Renderer } from "./outbox.ts";

export interface NotificationPayload {
  /** Event title in the recipient's language (with fallback). */
  title?: string;
  /** Site path the email links to, e.g. "/omat/tapahtumat/<id>". */
  path: string;
  /** The base URL of the site where the action happened (set by `notify`; links start with it). */
  base_url?: string;
  /** That site's name in the recipient's language (set by `notify`). */
  site_name?: string;
  reason?: string;
  name?: string;
  [extra: string]: unknown;
}

type Template = (p: NotificationPayload) => { subject: string; body: string };

const q = (p: NotificationPayload) => `"${p.title ?? ""}"`;

/** Every notification kind with its text in the three languages. */
export const TEMPLATES: Record<string, Record<Locale, Template>> = {
  submission_received: {
    fi: (p) => ({
      subject: `Tapahtuma vastaanotettu: ${p.title}`,
      body: `Tapahtumasi ${q(p)} on vastaanotettu ja odottaa moderaattorin tarkistusta.`,
    }),
    sv: (p) => ({
      subject: `Evenemanget har tagits emot: ${p.title}`,
      body: `Ditt evenemang ${q(p)} har tagits emot och väntar på granskning av en moderator.`,
    }),
    en: (p) => ({
      subject: `Event received: ${p.title}`,
      body: `Your event ${q(p)} has been received and is waiting for a moderator's review.`,
    }),
  },
  event_approved: {
    fi: (p) => ({
      subject: `Tapahtuma julkaistu: ${p.title}`,
      body: `Tapahtumasi ${q(p)} on hyväksytty ja julkaistu kalenterissa.`,
    }),
    sv: (p) => ({
      subject: `Evenemanget har publicerats: ${p.title}`,
      body: `Ditt evenemang ${q(p)} har godkänts och publicerats i kalendern.`,
    }),
    en: (p) => ({
      subject: `Event published: ${p.title}`,
      body: `Your event ${q(p)} has been approved and published in the calendar.`,
    }),
  },
  event_rejected: {
    fi: (p) => ({
      subject: `Tapahtumaa ei julkaistu: ${p.title}`,
      body: `Tapahtumaasi ${q(p)} ei julkaistu.\nPerustelu: ${p.reason}`,
    }),
    sv: (p) => ({
      subject: `Evenemanget publicerades inte: ${p.title}`,
      body: `Ditt evenemang ${q(p)} publicerades inte.\nMotivering: ${p.reason}`,
    }),
    en: (p) => ({
      subject: `Event not published: ${p.title}`,
      body: `Your event ${q(p)} was not published.\nReason: ${p.reason}`,
    }),
  },
  changes_requested: {
    fi: (p) => ({
      subject: `Tapahtumaan pyydetään muutoksia: ${p.title}`,
      body: `Moderaattori pyytää muutoksia tapahtumaan ${q(p)}.\nKommentti: ${p.reason}\nMuokkaa tapahtumaa ja lähetä se uudelleen.`,
    }),
    sv: (p) => ({
      subject: `Ändringar begärs i evenemanget: ${p.title}`,
      body: `En moderator ber om ändringar i evenemanget ${q(p)}.\nKommentar: ${p.reason}\nRedigera evenemanget och skicka det på nytt.`,
    }),
    en: (p) => ({
      subject: `Changes requested: ${p.title}`,
      body: `A moderator asks for changes to your event ${q(p)}.\nComment: ${p.reason}\nEdit the event and submit it again.`,
    }),
  },
  revision_approved: {
    fi: (p) => ({
      subject: `Muutokset julkaistu: ${p.title}`,
      body: `Tapahtuman ${q(p)} muutokset on hyväksytty ja julkaistu.`,
    }),
    sv: (p) => ({
      subject: `Ändringarna har publicerats: ${p.title}`,
      body: `Ändringarna i evenemanget ${q(p)} har godkänts och publicerats.`,
    }),
    en: (p) => ({
      subject: `Changes published: ${p.title}`,
      body: `The changes to your event ${q(p)} have been approved and published.`,
    }),
  },
  revision_rejected: {
    fi: (p) => ({
      subject: `Muutoksia ei julkaistu: ${p.title}`,
      body: `Tapahtuman ${q(p)} muutoksia ei julkaistu; aiempi versio on yhä näkyvissä.\nPerustelu: ${p.reason}`,
    }),
    sv: (p) => ({
      subject: `Ändringarna publicerades inte: ${p.title}`,
      body: `Ändringarna i evenemanget ${q(p)} publicerades inte; den tidigare versionen visas fortfarande.\nMotivering: ${p.reason}`,
    }),
    en: (p) => ({
      subject: `Changes not published: ${p.title}`,
      body: `The changes to your event ${q(p)} were not published; the earlier version stays visible.\nReason: ${p.reason}`,
    }),
  },
  cancelled_by_moderator: {
    fi: (p) => ({
      subject: `Moderaattori perui tapahtuman: ${p.title}`,
      body: `Moderaattori merkitsi tapahtumasi ${q(p)} perutuksi.\nPerustelu: ${p.reason ?? "-"}`,
    }),
    sv: (p) => ({
      subject: `En moderator ställde in evenemanget: ${p.title}`,
      body: `En moderator markerade ditt evenemang ${q(p)} som inställt.\nMotivering: ${p.reason ?? "-"}`,
    }),
    en: (p) => ({
      subject: `Event cancelled by a moderator: ${p.title}`,
      body: `A moderator marked your event ${q(p)} as cancelled.\nReason: ${p.reason ?? "-"}`,
    }),
  },
  moderation_new_submission: {
    fi: (p) => ({
      subject: `Uusi tarkistettava tapahtuma: ${p.title}`,
      body: `Moderointijonoon saapui ${p.revision ? "muutos tapahtumaan" : "uusi tapahtuma"} ${q(p)}.`,
    }),
    sv: (p) => ({
      subject: `Nytt evenemang att granska: ${p.title}`,
      body: `I modereringskön finns ${p.revision ? "en ändring i evenemanget" : "ett nytt evenemang"} ${q(p)}.`,
    }),
    en: (p) => ({
      subject: `New event to review: ${p.title}`,
      body: `The moderation queue has ${p.revision ? "a change to the event" : "a new event"} ${q(p)}.`,
    }),
  },
  // Sent to an address typed in by whoever submits: the site's own words, the (one-line,
  // capped) title and the link, nothing else the submitter wrote (not even their name).
  submission_confirm: {
    fi: (p) => ({
      subject: `Vahvista tapahtumailmoitus: ${p.title}`,
      body: `Tähän sähköpostiosoitteeseen on lähetetty tapahtumailmoitus ${q(p)}.\nVahvista osoite alla olevasta linkistä, niin tapahtuma siirtyy tarkistettavaksi. Linkki on voimassa 48 tuntia. Jos et lähettänyt ilmoitusta, voit jättää viestin huomiotta.`,
    }),
    sv: (p) => ({
      subject: `Bekräfta din evenemangsanmälan: ${p.title}`,
      body: `En evenemangsanmälan ${q(p)} har skickats med den här e-postadressen.\nBekräfta adressen via länken nedan så skickas evenemanget till granskning. Länken gäller i 48 timmar. Om du inte skickade anmälan kan du ignorera meddelandet.`,
    }),
    en: (p) => ({
      subject: `Confirm your event submission: ${p.title}`,
      body: `An event submission ${q(p)} was sent with this email address.\nConfirm the address with the link below and the event goes to review. The link is valid for 48 hours. If you did not send it, ignore this message.`,
    }),
  },
  submitter_access: {
    fi: () => ({
      subject: "Linkki omiin tapahtumailmoituksiisi",
      body: "Tällä linkillä voit muokata tai perua lähettämiäsi tapahtumia 30 päivän ajan.",
    }),
    sv: () => ({
      subject: "Länk till dina evenemangsanmälningar",
      body: "Med den här länken kan du redigera eller ställa in dina evenemang i 30 dagar.",
    }),
    en: () => ({
      subject: "Link to your event submissions",
      body: "With this link you can edit or cancel the events you submitted for 30 days.",
    }),
  },
  // Also sent to an address typed in by a stranger: no display name in it.
  verify_email: {
    fi: () => ({
      subject: "Vahvista sähköpostiosoitteesi",
      body: "Vahvista sähköpostiosoitteesi ottaaksesi tilin käyttöön. Linkki on voimassa 48 tuntia. Jos et luonut tiliä, voit jättää viestin huomiotta.",
    }),
    sv: () => ({
      subject: "Bekräfta din e-postadress",
      body: "Bekräfta din e-postadress för att ta kontot i bruk. Länken gäller i 48 timmar. Om du inte skapade kontot kan du ignorera meddelandet.",
    }),
    en: () => ({
      subject: "Confirm your email address",
      body: "Confirm your email address to activate your account. The link is valid for 48 hours. If you did not create an account, ignore this message.",
    }),
  },
  password_reset: {
    fi: () => ({
      subject: "Salasanan vaihto",
      body: "Vaihda salasanasi alla olevasta linkistä. Linkki on voimassa tunnin ja toimii kerran. Jos et pyytänyt vaihtoa, voit jättää viestin huomiotta.",
    }),
    sv: () => ({
      subject: "Byte av lösenord",
      body: "Byt ditt lösenord via länken nedan. Länken gäller i en timme och fungerar en gång. Om du inte bad om bytet kan du ignorera meddelandet.",
    }),
    en: () => ({
      subject: "Reset your password",
      body: "Choose a new password with the link below. It is valid for one hour and works once. If you did not ask for this, ignore this message.",
    }),
  },
  invitation: {
    fi: (p) => ({
      subject: `Kutsu: ${p.organisation}`,
      body: `Sinut on kutsuttu julkaisemaan tapahtumia organisaation ${p.organisation} nimissä. Avaa linkki hyväksyäksesi kutsun (voimassa 7 päivää). Jos et tunne organisaatiota, voit jättää viestin huomiotta: sinua ei lisätä ilman hyväksyntääsi.`,
    }),
    sv: (p) => ({
      subject: `Inbjudan: ${p.organisation}`,
      body: `Du har bjudits in att publicera evenemang för ${p.organisation}. Öppna länken för att godkänna inbjudan (gäller i 7 dagar). Om du inte känner till organisationen kan du ignorera meddelandet: du läggs inte till utan ditt godkännande.`,
    }),
    en: (p) => ({
      subject: `Invitation: ${p.organisation}`,
      body: `You have been invited to publish events for ${p.organisation}. Open the link to accept the invitation (valid for 7 days). If you do not know the organisation, ignore this message: you are not added without your consent.`,
    }),
  },
  staff_invitation: {
    fi: (p) => ({
      subject: `Kutsu: ${p.municipality} – ${p.admin ? "ylläpitäjä" : "moderaattori"}`,
      body: `Sinut on kutsuttu kunnan ${p.municipality} tapahtumakalenterin ${p.admin ? "ylläpitäjäksi (sivuston asetukset, henkilökunta ja moderointi)" : "moderaattoriksi"}. Avaa linkki hyväksyäksesi kutsun (voimassa 7 päivää). Jos kutsu ei kuulu sinulle, voit jättää viestin huomiotta: sinua ei lisätä ilman hyväksyntääsi.`,
    }),
    sv: (p) => ({
      subject: `Inbjudan: ${p.municipality} – ${p.admin ? "administratör" : "moderator"}`,
      body: `Du har bjudits in som ${p.admin ? "administratör (webbplatsens inställningar, personal och moderering)" : "moderator"} för evenemangskalendern i ${p.municipality}. Öppna länken för att godkänna inbjudan (gäller i 7 dagar). Om inbjudan inte gäller dig kan du ignorera meddelandet: du läggs inte till utan ditt godkännande.`,
    }),
    en: (p) => ({
      subject: `Invitation: ${p.municipality} – ${p.admin ? "administrator" : "moderator"}`,
      body: `You have been invited to be ${p.admin ? "an administrator (site settings, staff and moderation)" : "a moderator"} of the event calendar of ${p.municipality}. Open the link to accept the invitation (valid for 7 days). If the invitation is not for you, ignore this message: you are not added without your consent.`,
    }),
  },
  moderation_profile_submitted: {
    fi: (p) => ({
      subject: `Tarkistettava organisaation tietojen muutos: ${p.organisation}`,
      body: `Organisaatio ${p.organisation} muutti julkisia tietojaan. Muutos näkyy, kun moderaattori hyväksyy sen.`,
    }),
    sv: (p) => ({
      subject: `Ändring i organisationens uppgifter att granska: ${p.organisation}`,
      body: `Organisationen ${p.organisation} ändrade sina offentliga uppgifter. Ändringen syns när en moderator godkänner den.`,
    }),
    en: (p) => ({
      subject: `Organisation profile change to review: ${p.organisation}`,
      body: `The organisation ${p.organisation} changed its public details. The change is shown once a moderator approves it.`,
    }),
  },
  profile_approved: {
    fi: (p) => ({
      subject: `Organisaation tiedot julkaistu: ${p.organisation}`,
      body: `Organisaation ${p.organisation} julkisten tietojen muutos on hyväksytty ja julkaistu.`,
    }),
    sv: (p) => ({
      subject: `Organisationens uppgifter har publicerats: ${p.organisation}`,
      body: `Ändringen i de offentliga uppgifterna för ${p.organisation} har godkänts och publicerats.`,
    }),
    en: (p) => ({
      subject: `Organisation details published: ${p.organisation}`,
      body: `The change to the public details of ${p.organisation} has been approved and published.`,
    }),
  },
  profile_rejected: {
    fi: (p) => ({
      subject: `Organisaation tietojen muutosta ei julkaistu: ${p.organisation}`,
      body: `Organisaation ${p.organisation} julkisten tietojen muutosta ei julkaistu; aiemmat tiedot ovat yhä näkyvissä.\nPerustelu: ${p.reason ?? "-"}`,
    }),
    sv: (p) => ({
      subject: `Ändringen i organisationens uppgifter publicerades inte: ${p.organisation}`,
      body: `Ändringen i de offentliga uppgifterna för ${p.organisation} publicerades inte; de tidigare uppgifterna visas fortfarande.\nMotivering: ${p.reason ?? "-"}`,
    }),
    en: (p) => ({
      subject: `Organisation details not published: ${p.organisation}`,
      body: `The change to the public details of ${p.organisation} was not published; the earlier details stay visible.\nReason: ${p.reason ?? "-"}`,
    }),
  },
  membership_added: {
    fi: (p) => ({
      subject: `Sinut lisättiin: ${p.organisation}`,
      body: `Sinut lisättiin organisaation ${p.organisation} jäseneksi.`,
    }),
    sv: (p) => ({
      subject: `Du har lagts till: ${p.organisation}`,
      body: `Du har lagts till som medlem i ${p.organisation}.`,
    }),
    en: (p) => ({
      subject: `You were added: ${p.organisation}`,
      body: `You were added as a member of ${p.organisation}.`,
    }),
  },
};

const SIGNATURE: Record<Locale, string> = {
  fi: "Tämä on automaattinen viesti, älä vastaa siihen.",
  sv: "Detta är ett automatiskt meddelande, svara inte på det.",
  en: "This is an automatic message; please do not reply.",
};

/** Longest title (or organisation name) a mail repeats. */
export const MAIL_TITLE_MAX = 100;

/**
 * A text that goes into a subject or a sentence: one line (control, format and line
 * separator characters become spaces), at most `max` characters.
 */
export function oneLine(text: string, max = MAIL_TITLE_MAX): string {
  const flat = text
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  return `${/[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

/** The real renderer for createOutbox: the template in the recipient's language plus the link. */
export function createRenderer(opts: { publicUrl: string; siteName: string }): Renderer {
  return (n: Notification): MailMessage => {
    const locale: Locale = (LOCALES as readonly string[]).includes(n.locale) ? n.locale : "fi";
    const payload = { ...(n.payload as NotificationPayload) };
    // Titles and names come from organisers and submitters: one line each, capped.
    for (const key of ["title", "organisation"] as const) {
      if (payload[key] !== undefined && payload[key] !== null) payload[key] = oneLine(String(payload[key]));
    }
    // Mails queued before #21 carry neither: the installation's PUBLIC_URL and SITE_NAME then.
    const base = typeof payload.base_url === "string" ? payload.base_url : opts.publicUrl;
    const site = typeof payload.site_name === "string" ? oneLine(payload.site_name) : opts.siteName;
    delete payload.base_url;
    delete payload.site_name;
    const template = TEMPLATES[n.kind]?.[locale];
    if (!template) {
      return { to: n.recipient, subject: `${site}: ${n.kind}`, text: JSON.stringify(payload) };
    }
    const { subject, body } = template(payload);
    const link = payload.path ? `\n\n${base}${payload.path}\n` : "\n";
    return {
      to: n.recipient,
      subject: `${subject} – ${site}`,
      text: `${body}${link}\n-- \n${site}\n${SIGNATURE[locale]}\n`,
    };
  };
}

const asLocale = (l: string | null | undefined): Locale =>
  (LOCALES as readonly string[]).includes(l ?? "") ? (l as Locale) : "fi";

/** Enqueues one notification (inside the caller's transaction). */
export async function notify(
  ctx: Pick<Ctx, "db" | "outbox" | "clock" | "config"> & { tenant?: Ctx["tenant"] | undefined },
  kind: string,
  recipient: string,
  locale: string,
  payload: NotificationPayload,
  coalesce?: Notification["coalesce"],
): Promise<void> {
  const lang = asLocale(locale);
  // The site where the action happened: its links and name go into the mail (#21).
  const site = { base_url: siteUrl(ctx), site_name: siteName(ctx, lang) };
  await ctx.outbox.enqueue(
    ctx.db,
    { kind, recipient, locale: lang, payload: { ...payload, ...site }, ...(coalesce ? { coalesce } : {}) },
    ctx.clock.now(),
  );
}

/**
 * How long one "new in the queue" notification covers its event (per recipient): a
 * withdraw/submit loop, or edits in quick succession, mail each moderator once; the queue
 * itself always shows the current state.
 */
export const QUEUE_NOTICE_WINDOW_SECONDS = 60 * 60;

const perEvent = (kind: string, eventId: string) => ({
  key: `${kind}:${eventId}`,
  windowSeconds: QUEUE_NOTICE_WINDOW_SECONDS,
});

export const titleIn = (title: LocalizedText, locale: string) =>
  pickText(title, asLocale(locale))?.text ?? "";

/**
 * Who is told about work waiting in a municipality: its own moderators and admins
 * (municipality_staff); when it has none, the regional moderators and region admins.
 */
export async function moderatorsOf(
  ctx: Pick<Ctx, "db">,
  municipalityId: string,
): Promise<{ email: string; locale: string }[]> {
  const own = await ctx.db
    .select({ email: users.email, locale: users.locale })
    .from(municipalityStaff)
    .innerJoin(users, eq(users.id, municipalityStaff.userId))
    .where(and(eq(municipalityStaff.municipalityId, municipalityId), isNull(users.deletedAt)))
    .orderBy(users.email);
  if (own.length > 0) return own;
  return ctx.db
    .select({ email: users.email, locale: users.locale })
    .from(users)
    .where(and(inArray(users.role, ["moderator", "admin"]), isNull(users.deletedAt)))
    .orderBy(users.email);
}

/** Notifies the tenant's moderators (in their language) of a new submission or revision. */
export async function notifyModerators(
  ctx: Ctx,
  event: { id: string; title: LocalizedText },
  revision: boolean,
): Promise<void> {
  const staff = await moderatorsOf(ctx, ctx.tenant.id);
  for (const m of staff) {
    await notify(
      ctx,
      "moderation_new_submission",
      m.email,
      m.locale,
      { title: titleIn(event.title, m.locale), path: `/moderointi/tapahtumat/${event.id}`, revision },
      perEvent("moderation_new_submission", event.id),
    );
  }
}

/**
 * Notifies the organiser of an event: its creator (an account), else the anonymous
 * submitter, else the organisation's private contact address.
 */
export async function notifyOrganiser(
  ctx: Ctx,
  eventId: string,
  kind: string,
  extra: { reason?: string | null } = {},
): Promise<void> {
  const [row] = await ctx.db
    .select({
      title: events.title,
      userEmail: users.email,
      userLocale: users.locale,
      userDeleted: users.deletedAt,
      submitterEmail: submitters.email,
      submitterLocale: submitters.locale,
      orgEmail: organisations.contactEmail,
    })
    .from(events)
    .leftJoin(users, eq(users.id, events.createdBy))
    .leftJoin(submitters, eq(submitters.id, events.submitterId))
    .leftJoin(organisations, eq(organisations.id, events.organisationId))
    .where(eq(events.id, eventId));
  if (!row) return;
  let to: { email: string; locale: string; submitter: boolean } | null = null;
  if (row.userEmail && !row.userDeleted)
    to = { email: row.userEmail, locale: row.userLocale ?? "fi", submitter: false };
  else if (row.submitterEmail)
    to = { email: row.submitterEmail, locale: row.submitterLocale ?? "fi", submitter: true };
  else if (row.orgEmail) to = { email: row.orgEmail, locale: ctx.config.defaultLocale, submitter: false };
  if (!to) return;
  await notify(
    ctx,
    kind,
    to.email,
    to.locale,
    {
      title: titleIn(row.title, to.locale),
      path: to.submitter ? "/ilmoita/omat" : `/omat/tapahtumat/${eventId}`,
      ...(extra.reason ? { reason: extra.reason } : {}),
    },
    // "Received" repeats with every resubmission; decisions are each worth a mail.
    kind === "submission_received" ? perEvent(kind, eventId) : undefined,
  );
}
