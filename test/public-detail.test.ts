/** GET /api/v1/events/{id} (JSON and JSON-LD) and the reference data endpoints. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { organisations } from "../src/db/schema.ts";
import { localDateTime } from "../src/domain/time.ts";
import { buildTestApp, fixedClock } from "./helpers/app.ts";
import type { TestDatabase } from "./helpers/db.ts";
import { insertEvent } from "./helpers/events.ts";
import { createSeededDatabase, SEED_NOW } from "./helpers/seeded.ts";

const TZ = "Europe/Helsinki";
let database: TestDatabase;
let t: ReturnType<typeof buildTestApp>;
let eventId: string;
let draftId: string;

beforeAll(async () => {
  database = await createSeededDatabase();
  t = buildTestApp(database, { clock: fixedClock(SEED_NOW.toISOString()) });
  await database.db
    .update(organisations)
    .set({ contactEmail: "private.person@example.com", contactPhone: "+358 40 1234567" })
    .where(eq(organisations.slug, "kirjasto"));
  const start = localDateTime("2026-11-14", "12:00", TZ);
  eventId = await insertEvent(
    database.db,
    {
      title: { fi: "Satutunti ja lorupiiri", sv: "Sagostund" },
      shortDescription: { fi: "Satuja ja loruja pienille." },
      description: { fi: "Kirjaston satutunnilla luetaan ääneen.", en: "Stories read aloud." },
      startsAt: start,
      endsAt: new Date(start.getTime() + 3_600_000),
      rrule: "FREQ=WEEKLY;BYDAY=SA;COUNT=4",
      placeSlug: "paakirjasto",
      organisationSlug: "kirjasto",
      categorySlugs: ["kirjasto", "lapset"],
      ageMin: 3,
      ageMax: 6,
      languages: ["fi"],
      isFree: false,
      price: { fi: "2 €", sv: "2 €" },
      ticketUrl: "https://liput.example.fi/satutunti",
      image: {
        url: "https://images.example.fi/satu.jpg",
        alt: { fi: "Lapsia kirjastossa" },
        licence: "CC BY 4.0",
        photographer: "Kirjasto",
      },
      links: [{ url: "https://kirjasto.example.fi", label: { fi: "Kirjaston sivut" } }],
      accessibility: ["induction_loop"],
    },
    SEED_NOW,
  );
  draftId = await insertEvent(
    database.db,
    { title: { fi: "Luonnos" }, startsAt: start, endsAt: start, state: "draft", publishedAt: null },
    SEED_NOW,
  );
});
afterAll(async () => {
  await database.close();
});

describe("GET /api/v1/events/{id}", () => {
  it("gives all public details with every translation, offers, image, audience and upcoming occurrences", async () => {
    const res = await t.app.request(`/api/v1/events/${eventId}?lang=sv`);
    expect(res.status).toBe(200);
    const e = (await res.json()) as Record<string, any>;
    expect(e.title).toEqual({ lang: "sv", text: "Sagostund" });
    expect(e.titles).toEqual({ fi: "Satutunti ja lorupiiri", sv: "Sagostund" });
    expect(e.description).toEqual({ lang: "fi", text: "Kirjaston satutunnilla luetaan ääneen." });
    expect(e.descriptions.en).toBe("Stories read aloud.");
    expect(e.start).toBe("2026-11-14T12:00:00+02:00");
    expect(e.recurrence.rrule).toBe("FREQ=WEEKLY;BYDAY=SA;COUNT=4");
    expect(e.occurrences.map((o: { start: string }) => o.start)).toEqual([
      "2026-11-14T12:00:00+02:00",
      "2026-11-21T12:00:00+02:00",
      "2026-11-28T12:00:00+02:00",
      "2026-12-05T12:00:00+02:00",
    ]);
    expect(e.place).toMatchObject({ slug: "paakirjasto", postal_code: "01900" });
    expect(typeof e.place.lat).toBe("number");
    expect(e.place.street_address).toBeTruthy();
    expect(e.categories.map((c: { slug: string }) => c.slug).sort()).toEqual(["kirjasto", "lapset"]);
    expect(e.offers).toMatchObject({
      is_free: false,
      price: { lang: "sv", text: "2 €" },
      ticket_url: "https://liput.example.fi/satutunti",
    });
    expect(e.image).toMatchObject({
      url: "https://images.example.fi/satu.jpg",
      licence: "CC BY 4.0",
      alt: { lang: "fi", text: "Lapsia kirjastossa" },
    });
    expect(e.audience).toEqual({ min_age: 3, max_age: 6 });
    expect(e.accessibility).toEqual(["induction_loop"]);
    expect(e.links[0].url).toBe("https://kirjasto.example.fi");
    expect(e.organisation).toMatchObject({ slug: "kirjasto", kind: "municipality" });
    expect(e.url).toBe(`http://kalenteri.test/tapahtumat/${eventId}`);
    expect(e.ical_url).toBe(`http://kalenteri.test/feeds/events/${eventId}.ics`);
  });

  it("never exposes an organisation's private contact details", async () => {
    for (const path of [
      `/api/v1/events/${eventId}`,
      "/api/v1/organisations",
      "/api/v1/events?limit=100&organisation=kirjasto",
    ]) {
      const body = await (await t.app.request(path)).text();
      expect(body, path).not.toContain("private.person@example.com");
      expect(body, path).not.toContain("1234567");
    }
  });

  it("returns schema.org JSON-LD that meets Google's event requirements", async () => {
    const res = await t.app.request(`/api/v1/events/${eventId}`, {
      headers: { accept: "application/ld+json" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/ld\+json/);
    expect(res.headers.get("vary")).toContain("Accept");
    const ld = (await res.json()) as Record<string, any>;
    expect(ld["@context"]).toBe("https://schema.org");
    expect(ld["@type"]).toBe("Event");
    expect(ld.name).toBe("Satutunti ja lorupiiri");
    expect(ld.startDate).toMatch(/^2026-11-14T12:00:00\+02:00$/);
    expect(ld.eventStatus).toBe("https://schema.org/EventScheduled");
    expect(ld.eventAttendanceMode).toBe("https://schema.org/OfflineEventAttendanceMode");
    expect(ld.location["@type"]).toBe("Place");
    expect(ld.location.address).toMatchObject({
      "@type": "PostalAddress",
      postalCode: "01900",
      addressCountry: "FI",
    });
    expect(ld.location.address.streetAddress).toBeTruthy();
    expect(ld.offers).toMatchObject({
      "@type": "Offer",
      priceCurrency: "EUR",
      url: "https://liput.example.fi/satutunti",
    });
    expect(ld.organizer).toMatchObject({ "@type": "Organization" });
    expect(ld.image).toEqual(["https://images.example.fi/satu.jpg"]);
  });

  it("answers 404 for an unpublished or unknown event and 400 for a malformed id", async () => {
    expect((await t.app.request(`/api/v1/events/${draftId}`)).status).toBe(404);
    expect((await t.app.request("/api/v1/events/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    const bad = await t.app.request("/api/v1/events/not-a-uuid");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe("id");
  });
});

describe("reference data", () => {
  it("lists places, categories and organisations with counts of upcoming events", async () => {
    const places = (await (await t.app.request("/api/v1/places?lang=sv")).json()) as {
      data: Record<string, any>[];
    };
    expect(places.data.length).toBeGreaterThanOrEqual(25);
    const lib = places.data.find((p) => p.slug === "paakirjasto");
    expect(lib?.upcoming_events).toBeGreaterThan(0);
    expect(lib?.village).toMatchObject({ slug: "kirkonkyla", name: "Nurmijärvi kyrkby" });

    const cats = (await (await t.app.request("/api/v1/categories?lang=en")).json()) as {
      data: Record<string, any>[];
    };
    expect(cats.data.length).toBeGreaterThanOrEqual(15);
    expect(cats.data.find((c) => c.slug === "liikunta")?.name).toEqual({ lang: "en", text: "Sport" });
    expect(cats.data.reduce((n, c) => n + c.upcoming_events, 0)).toBeGreaterThan(100);

    const orgs = (await (await t.app.request("/api/v1/organisations")).json()) as {
      data: Record<string, any>[];
    };
    expect(orgs.data.length).toBeGreaterThanOrEqual(20);
    expect(Object.keys(orgs.data[0] ?? {}).sort()).toEqual(
      ["description", "email", "id", "kind", "name", "slug", "upcoming_events", "website"].sort(),
    );
  });
});
