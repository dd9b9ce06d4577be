/**
 * The accounts API's requests and answers (sign-in, registration, password reset, /me):
 * shared by the server, which validates with them, and the browser's account pages.
 */
import { z } from "zod";
import { LOCALES, MEMBERSHIP_ROLES, MUNICIPALITY_ROLES, USER_ROLES } from "../codes.ts";
import { Instant, LocalizedText, Uuid } from "./common.ts";

export const Email = z.string().trim().email().max(254);
export const NewPassword = z.string().min(10, "must be at least 10 characters").max(200);
export const EmailToken = z.string().min(10).max(200);
export const CurrentPassword = z.string().min(1, "is required").max(200);
const DisplayName = z.string().trim().min(1).max(100);

export const LoginRequest = z.object({
  email: Email,
  password: z.string().min(1).max(200),
  next: z.string().max(2000).optional(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z
  .object({
    user_id: Uuid,
    expires_at: Instant,
    next: z
      .string()
      .nullable()
      .meta({ description: "The request's `next`, normalised, when it stays on this site; else null" }),
  })
  .meta({ id: "LoginResponse" });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const RegisterRequest = z.object({
  email: Email,
  password: NewPassword,
  display_name: DisplayName,
  locale: z.enum(LOCALES).default("fi"),
});
export type RegisterRequest = z.input<typeof RegisterRequest>;

export const VerifyEmailRequest = z.object({ token: EmailToken });
export const PasswordResetRequest = z.object({ email: Email });
export const PasswordResetConfirm = z.object({
  token: EmailToken,
  password: NewPassword,
  display_name: DisplayName.optional(),
});
export const PasswordResetConfirmed = z.object({ status: z.string(), email: z.string() });
export const DeleteAccountRequest = z.object({ password: CurrentPassword });
export const ChangePasswordRequest = z.object({
  current_password: CurrentPassword,
  new_password: NewPassword,
});

/** GET /api/v1/me: the signed-in user, their role and memberships. */
export const Me = z
  .object({
    user: z.object({
      id: Uuid,
      email: z.string(),
      display_name: z.string(),
      locale: z.enum(LOCALES),
      role: z.enum(USER_ROLES),
    }),
    role: z.enum(USER_ROLES),
    memberships: z.array(
      z.object({
        organisation: z.object({ id: Uuid, slug: z.string(), name: z.string(), trusted: z.boolean() }),
        role: z.enum(MEMBERSHIP_ROLES),
      }),
    ),
    /** The municipalities whose staff the user is in (users.role covers the whole region). */
    municipalities: z.array(
      z.object({
        municipality: z.object({ id: Uuid, slug: z.string(), name: LocalizedText }),
        role: z.enum(MUNICIPALITY_ROLES),
      }),
    ),
    /** What the user may do on the site the request is for, so the UI shows only usable links. */
    here: z.object({
      municipality: z.object({ id: Uuid, slug: z.string() }),
      moderator: z.boolean(),
      admin: z.boolean(),
      region_admin: z.boolean(),
    }),
  })
  .meta({ id: "Me" });
export type Me = z.infer<typeof Me>;

/** GET /api/v1/me/export: everything stored about the user (GDPR); its sections are plain JSON. */
const Rows = z.array(z.record(z.string(), z.unknown()));
export const MyDataExport = z
  .object({
    exported_at: Instant,
    user: z.object({
      id: Uuid,
      email: z.string(),
      display_name: z.string(),
      locale: z.string(),
      role: z.enum(USER_ROLES),
      email_verified_at: Instant.nullable(),
      created_at: Instant,
    }),
    memberships: z.array(
      z.object({
        organisation: z.object({ id: Uuid, name: z.string() }),
        role: z.enum(MEMBERSHIP_ROLES),
        since: Instant,
      }),
    ),
    /** The municipalities whose staff the user is in. */
    municipality_roles: z.array(
      z.object({
        municipality: z.object({ id: Uuid, slug: z.string() }),
        role: z.enum(MUNICIPALITY_ROLES),
        since: Instant,
      }),
    ),
    sessions: Rows,
    events_created: Rows,
    anonymous_submissions: Rows,
    moderation_actions: Rows,
  })
  .meta({
    id: "MyDataExport",
    description: "Account, memberships, sessions, events, submissions and actions",
  });
export type MyDataExport = z.infer<typeof MyDataExport>;
