/** The default municipality (migration 0008) as a domain tenant, for tests that build a ctx. */
import { DEFAULT_MUNICIPALITY_ID } from "../../src/db/schema.ts";
import type { Tenant } from "../../src/domain/context.ts";

export { DEFAULT_MUNICIPALITY_ID };

export const DEFAULT_TENANT: Tenant = {
  id: DEFAULT_MUNICIPALITY_ID,
  slug: "default",
  name: { fi: "Kuntakalenteri" },
  languages: ["fi"],
  defaultLocale: "fi",
  settings: {},
  visible: [DEFAULT_MUNICIPALITY_ID],
  // Migration 0008's placeholder in a region of one: the site keeps SITE_NAME (src/domain/site.ts).
  unedited: true,
};
