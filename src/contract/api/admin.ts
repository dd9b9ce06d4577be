/**
 * The administration contract (/api/v1/admin/*): organisations and users (region admins),
 * municipalities and their staff (region admins; a municipality's own admins for theirs).
 * Bodies, query strings and a schema for every success answer.
 */
import { z } from "zod";
import { LOCALES, MUNICIPALITY_ROLES, ORGANISATION_KINDS, USER_ROLES } from "../codes.ts";
import { HEX_COLOUR } from "../colour.ts";
import { slugProblem } from "../municipality-slugs.ts";
import { Email } from "./auth.ts";
import { HttpUrl } from "./http-url.ts";
import { Id, Instant, listOf, OrgDetails, Paging } from "./organiser.ts";

export const CreateOrganisationBody = OrgDetails.extend({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,60}$/, "lower-case letters, digits and dashes"),
  name: z.string().trim().min(1).max(200),
  kind: z.enum(ORGANISATION_KINDS),
  trusted: z.boolean().optional(),
}).strict();
export type CreateOrganisationBody = z.infer<typeof CreateOrganisationBody>;

export const UsersQuery = Paging;

export const UserPatchBody = z
  .object({
    role: z.enum(USER_ROLES).optional(),
    display_name: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
export type UserPatchBody = z.infer<typeof UserPatchBody>;

export const AdminUser = z
  .object({
    id: Id,
    email: z.string(),
    display_name: z.string(),
    role: z.enum(USER_ROLES),
    locale: z.string(),
    email_verified: z.boolean(),
    created_at: Instant,
  })
  .meta({ id: "AdminUser" });
export const AdminUserList = listOf(AdminUser).meta({ id: "AdminUserList" });

export const UpdatedUser = z
  .object({ id: Id, email: z.string(), display_name: z.string(), role: z.enum(USER_ROLES) })
  .meta({ id: "UpdatedUser" });

// --- Municipalities (tenants) ------------------------------------------------------------

/** A municipality's slug: its path prefix, so never a path the app serves (municipality-slugs.ts). */
export const MunicipalitySlug = z
  .string()
  .trim()
  .superRefine((value, issue) => {
    const problem = slugProblem(value);
    if (problem) issue.addIssue({ code: "custom", message: problem });
  });

const NameText = z.string().trim().min(1).max(100);
/** The municipality's name per language; Finnish is required. */
export const MunicipalityName = z
  .object({ fi: NameText, sv: NameText.optional(), en: NameText.optional() })
  .strict();

/** A host name that serves the municipality's site: lower-case, without port or path. */
export const HostName = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
    "must be a host name such as kalenteri.example.fi (no scheme, port or path)",
  );

const Languages = z
  .array(z.enum(LOCALES))
  .min(1)
  .max(LOCALES.length)
  .refine((l) => new Set(l).size === l.length, "must not repeat a language");

/** An https URL (the logo is loaded by residents' browsers on an https site). */
const HttpsUrl = HttpUrl.refine((u) => /^https:\/\//i.test(u), "must be an https:// URL");

export const MunicipalityTheme = z
  .object({
    logo_url: HttpsUrl.nullable().optional(),
    colours: z
      .object({ primary: z.string().regex(HEX_COLOUR, 'must be a colour "#rrggbb"').optional() })
      .strict()
      .optional(),
  })
  .strict();

const Lat = z.number().min(-90).max(90);
const Lon = z.number().min(-180).max(180);

export const CreateMunicipalityBody = z
  .object({
    slug: MunicipalitySlug,
    name: MunicipalityName,
    languages: Languages.default(["fi"]),
    default_locale: z.enum(LOCALES).default("fi"),
    lat: Lat.nullable().optional(),
    lon: Lon.nullable().optional(),
    hosts: z.array(HostName).max(10).optional(),
    public_url: HttpUrl.nullable().optional(),
    /** Gets a staff invitation as the municipality's admin, mailed through the outbox. */
    first_admin_email: Email,
  })
  .strict();
export type CreateMunicipalityBody = z.infer<typeof CreateMunicipalityBody>;

export const UpdateMunicipalityBody = z
  .object({
    /** The `updated_at` the editor read: a stale one is a 409 (optimistic concurrency). */
    updated_at: Instant,
    slug: MunicipalitySlug.optional(),
    name: MunicipalityName.optional(),
    languages: Languages.optional(),
    default_locale: z.enum(LOCALES).optional(),
    theme: MunicipalityTheme.optional(),
    public_url: HttpUrl.nullable().optional(),
    hosts: z.array(HostName).max(10).optional(),
    lat: Lat.nullable().optional(),
    lon: Lon.nullable().optional(),
    neighbour_radius_km: z.number().int().min(1).max(500).nullable().optional(),
    /** Ids of other municipalities whose public events this site also shows. */
    neighbours: z.array(Id).max(100).optional(),
  })
  .strict();
export type UpdateMunicipalityBody = z.infer<typeof UpdateMunicipalityBody>;

export const Municipality = z
  .object({
    id: Id,
    slug: z.string(),
    name: z.object({ fi: z.string().optional(), sv: z.string().optional(), en: z.string().optional() }),
    languages: z.array(z.enum(LOCALES)),
    default_locale: z.enum(LOCALES),
    theme: z.object({
      logo_url: z.string().nullable().optional(),
      colours: z.record(z.string(), z.string()).optional(),
    }),
    public_url: z.string().nullable(),
    hosts: z.array(z.string()),
    lat: z.number().nullable(),
    lon: z.number().nullable(),
    neighbour_radius_km: z.number().int().nullable(),
    neighbours: z.array(Id),
    created_at: Instant,
    updated_at: Instant,
  })
  .meta({
    id: "AdminMunicipality",
    description: "A municipality of the region (a tenant) as its admins see it",
  });
export type Municipality = z.infer<typeof Municipality>;
export const MunicipalityList = listOf(Municipality).meta({ id: "AdminMunicipalityList" });

export const StaffInvitation = z
  .object({
    id: Id,
    email: z.string(),
    role: z.enum(MUNICIPALITY_ROLES),
    created_at: Instant,
    expires_at: Instant,
  })
  .meta({ id: "StaffInvitation", description: "A pending invitation to a municipality's staff" });
export type StaffInvitation = z.infer<typeof StaffInvitation>;

export const MunicipalityCreated = Municipality.extend({ invitation: StaffInvitation }).meta({
  id: "MunicipalityCreated",
});

export const StaffMember = z
  .object({
    user_id: Id,
    email: z.string(),
    display_name: z.string(),
    role: z.enum(MUNICIPALITY_ROLES),
    since: Instant,
  })
  .meta({ id: "StaffMember" });
export type StaffMember = z.infer<typeof StaffMember>;

export const StaffList = z
  .object({ data: z.array(StaffMember), invitations: z.array(StaffInvitation) })
  .meta({ id: "StaffList", description: "The municipality's staff and its pending invitations" });

export const StaffInviteBody = z
  .object({ email: Email, role: z.enum(MUNICIPALITY_ROLES), locale: z.enum(LOCALES).optional() })
  .strict();
export const StaffRoleBody = z.object({ role: z.enum(MUNICIPALITY_ROLES) }).strict();
export const StaffRoleChanged = z
  .object({ user_id: Id, role: z.enum(MUNICIPALITY_ROLES) })
  .meta({ id: "StaffRoleChanged" });

export const MunicipalityStaffParams = z.object({ id: Id, userId: Id });
export const StaffInvitationParams = z.object({ id: Id, invitationId: Id });

const MunicipalityRef = z.object({ id: Id, slug: z.string(), name: z.record(z.string(), z.string()) });

export const StaffInvitationLookup = z
  .object({
    municipality: MunicipalityRef,
    role: z.enum(MUNICIPALITY_ROLES),
    email: z.string(),
    expires_at: Instant,
    has_account: z.boolean(),
    signed_in_as_invitee: z.boolean(),
  })
  .meta({ id: "StaffInvitationLookup", description: "What an emailed staff invitation is for" });

export const StaffInvitationAccepted = z
  .object({ municipality: MunicipalityRef, role: z.enum(MUNICIPALITY_ROLES) })
  .meta({ id: "StaffInvitationAccepted" });
