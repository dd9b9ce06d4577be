/**
 * GET /api/v1/site: the municipality whose site answered (#21) — what the front-end and
 * integrators need to look and link like that site. The same object is injected into the
 * HTML pages the server serves (<meta name="kk-site">), so the front-end needs no extra request.
 */
import { z } from "zod";
import { LOCALES } from "../codes.ts";

const Lang = z.enum(LOCALES);

export const SiteDescriptor = z
  .object({
    slug: z.string().meta({ example: "nurmijarvi" }),
    name: z.string().meta({ description: "The site's name in the asked language (or its default)." }),
    names: z
      .object({ fi: z.string().optional(), sv: z.string().optional(), en: z.string().optional() })
      .meta({ description: "The site's name in each of its languages." }),
    languages: z.array(Lang).min(1).meta({ description: "The languages the site offers (UI and switcher)." }),
    default_locale: Lang,
    theme: z.object({
      logo_url: z.string().nullable(),
      primary_colour: z
        .string()
        .regex(/^#[0-9a-f]{6}$/)
        .nullable()
        .meta({ description: "#rrggbb with at least 4.5:1 against white; null: the default palette." }),
    }),
    base_url: z.string().meta({
      description: "The site's base URL: links (events, feeds, mail) start with it.",
      example: "https://kalenteri.nurmijarvi.fi",
    }),
    base_path: z.string().meta({
      description: 'The path prefix of this address ("/<slug>" or ""): the site\'s own URLs start with it.',
      example: "",
    }),
  })
  .meta({ id: "SiteDescriptor" });
export type SiteDescriptor = z.infer<typeof SiteDescriptor>;
