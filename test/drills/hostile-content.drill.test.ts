/**
 * Hostile content end to end: payloads stored through the real API in every text field
 * of an event (titles, short descriptions, descriptions in fi/sv/en, price, image alt,
 * link labels, the name of a new place) — by an organiser (create, submit, approve) and
 * by an anonymous submitter (submit, confirm, approve) — and read back through the JSON
 * API, JSON-LD, RSS and iCal. Each must come back as the same text, escaped: one VEVENT
 * per event and no injected property, RSS that parses as XML with the payload as text.
 * Text that no database can store (NUL, unpaired surrogates), 1 MB strings and deeply
 * nested JSON are rejected with a 4xx problem naming the field.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onPostgres } from "../helpers/db.ts";
import { createWorkflowWorld, tokenFrom, type World } from "../helpers/workflow.ts";
import { deeplyNested, expectProblem, postJson, WRITE_PATHS } from "./hostile.ts";

const PAYLOADS: Record<string, string> = {
  sql: "'; DROP TABLE events; -- ' OR '1'='1",
  script: "<script>alert(1)</script>",
  onerror: '"><img src=x onerror=alert(1)>',
  vevent: "\r\nBEGIN:VEVENT\r\nUID:evil@example.com\r\nSUMMARY:evil\r\nEND:VEVENT",
  attendee: "\r\nATTENDEE:mailto:x@example.com",
  folded: `${"x".repeat(40)}\r\n ATTENDEE:mailto:x@example.com;\\n,:`,
  bidi: "\u202Eelif.exe\u202C \u2066isolate\u2069",
  xml: "]]></title><title>evil</title><![CDATA[ &amp; &lt;",
};

let w: World;
const stored = new Map<string, { name: string; payload: string; body: Record<string, unknown> }>();

/** Every text field of an event, with the payload between ordinary words (trimming must not hide it). */
function hostileEvent(payload: string, i: number) {
  const t = (label: string) => `${label} ${i} ${payload} loppu`;
  return {
    title: { fi: t("Otsikko"), sv: t("Rubrik"), en: t("Title") },
    short_description: { fi: t("Lyhyt"), sv: t("Kort"), en: t("Short") },
    description: { fi: t("Kuvaus"), sv: t("Beskrivning"), en: t("Description") },
    price: { fi: t("Hinta"), sv: t("Pris"), en: t("Price") },
    start: "2026-07-01T18:00:00+03:00",
    end: "2026-07-01T20:00:00+03:00",
    place: {
      name: { fi: t("Paikka"), sv: t("Plats") },
      street_address: t("Katu").slice(0, 200),
      locality: "Nurmijärvi",
    },
    categories: ["musiikki"],
    image: {
      url: "https://example.com/kuva.jpg",
      alt: { fi: t("Alt"), en: t("Alt") },
      photographer: t("Kuvaaja"),
    },
    links: [{ url: "https://example.com/", label: { fi: t("Linkki"), en: t("Link") } }],
    is_free: false,
  };
}

async function approve(id: string) {
  const mod = w.as("moderator");
  const mine = await w.as("admin")("GET", `/api/v1/me/events/${id}`);
  const queue = await mod("GET", "/api/v1/moderation/queue?limit=100");
  const item = (queue.body.data as { id: string; version: number }[]).find((e) => e.id === id);
  const version = item?.version ?? (mine.body.version as number);
  const r = await mod("POST", `/api/v1/moderation/events/${id}/approve`, { version });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

beforeAll(async () => {
  w = await createWorkflowWorld();
  const member = w.as("member");
  let i = 0;
  for (const [name, payload] of Object.entries(PAYLOADS)) {
    const body = hostileEvent(payload, i++);
    const created = await member("POST", "/api/v1/events", { organisation_id: w.orgA.id, ...body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const submitted = await member("POST", `/api/v1/events/${id}/submit`, { version: created.body.version });
    expect(submitted.status).toBe(200);
    await approve(id);
    stored.set(id, { name, payload, body });
  }
  // Anonymous submissions (five per hour per address): the same payloads through the public form.
  for (const name of ["script", "vevent", "bidi"] as const) {
    const payload = PAYLOADS[name] as string;
    const body = hostileEvent(payload, i++);
    const email = `anon-${name}@example.com`;
    const sub = await w.as("anonymous")("POST", "/api/v1/submissions", {
      submitter: { name: `Lähettäjä ${payload}`.slice(0, 100), email },
      event: body,
      locale: "fi",
      website: "",
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(202);
    const [mail] = await w.mailsTo(email);
    const link = /\/ilmoita\/vahvista\?token=[\w-]+/.exec(JSON.stringify(mail))?.[0];
    expect(link).toBeTruthy();
    const confirmed = await w.as("anonymous")("POST", "/api/v1/submissions/confirm", {
      token: tokenFrom(link),
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const queue = await w.as("moderator")("GET", "/api/v1/moderation/queue?limit=100");
    const item = (queue.body.data as { id: string; title: unknown; version: number }[]).find((e) =>
      JSON.stringify(e.title).includes(`Otsikko ${i - 1} `),
    );
    expect(item, "submission in the queue").toBeTruthy();
    const r = await w.as("moderator")("POST", `/api/v1/moderation/events/${item?.id}/approve`, {
      version: item?.version,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    stored.set(item?.id as string, { name: `anonymous ${name}`, payload, body });
  }
}, 120_000);

afterAll(async () => {
  await w?.close();
});

const trimmed = (s: string) => s.trim();

describe(`hostile content end to end (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("comes back unchanged as JSON, in every text field", async () => {
    expect(stored.size).toBe(Object.keys(PAYLOADS).length + 3);
    for (const [id, { name, body }] of stored) {
      const r = await w.as("anonymous")("GET", `/api/v1/events/${id}`);
      expect(r.status, name).toBe(200);
      const e = r.body as Record<string, any>;
      const b = body as Record<string, any>;
      const all: [string, Record<string, string>, Record<string, string>][] = [
        ["titles", e.titles, b.title],
        ["short_descriptions", e.short_descriptions, b.short_description],
        ["descriptions", e.descriptions, b.description],
        ["price_translations", e.offers.price_translations, b.price],
        ["alt_translations", e.image.alt_translations, b.image.alt],
        ["place.names", e.place.names, b.place.name],
      ];
      for (const [field, got, sent] of all) {
        for (const lang of Object.keys(sent)) {
          expect(got[lang], `${name} ${field}.${lang}`).toBe(trimmed(sent[lang] as string));
        }
      }
      expect(e.title.text, name).toBe(trimmed(b.title.fi));
      expect(e.image.photographer, name).toBe(trimmed(b.image.photographer));
      expect(e.links[0].label.text, name).toBe(trimmed(b.links[0].label.fi));
      expect(JSON.stringify(e.place), name).toContain(JSON.stringify(b.place.name.fi).slice(1, -1));
    }
  });

  it("is a valid schema.org Event in JSON-LD, with the payload as a string", async () => {
    for (const [id, { name, body }] of stored) {
      const res = await w.t.app.request(`/api/v1/events/${id}`, {
        headers: { Accept: "application/ld+json" },
      });
      expect(res.status, name).toBe(200);
      expect(res.headers.get("content-type")).toContain("application/ld+json");
      const text = await res.text();
      const ld = JSON.parse(text) as Record<string, unknown>;
      expect(ld["@type"]).toMatch(/Event/);
      expect(JSON.stringify(ld), name).toContain(
        JSON.stringify((body.title as { fi: string }).fi).slice(1, -1),
      );
    }
  });

  it("is one VEVENT per event in iCal, with no injected property, and the text intact", async () => {
    for (const url of [
      "/feeds/events.ics?lang=fi",
      "/feeds/events.ics?lang=en",
      ...[...stored.keys()].map((id) => `/feeds/events/${id}.ics`),
    ]) {
      const res = await w.t.app.request(url);
      expect(res.status, url).toBe(200);
      const text = await res.text();
      const root = new ICAL.Component(ICAL.parse(text));
      const vevents = root.getAllSubcomponents("vevent");
      const uids = vevents.map((v) => String(v.getFirstPropertyValue("uid")));
      expect(new Set(uids).size, url).toBe(vevents.length);
      expect(
        uids.some((u) => u.startsWith("evil")),
        url,
      ).toBe(false);
      for (const v of vevents) {
        expect(v.getAllProperties("attendee"), url).toEqual([]);
        const names = v.getAllProperties().map((p) => p.name);
        expect(names.filter((n) => n === "summary").length).toBe(1);
        expect(
          names.filter(
            (n) =>
              !/^(x-|uid|dtstamp|dtstart|dtend|summary|description|location|geo|url|organizer|categories|status|sequence|last-modified|created|rrule|exdate|rdate|class|transp)/.test(
                n,
              ),
          ),
          url,
        ).toEqual([]);
      }
      for (const [id, { name, body }] of stored) {
        const v = vevents.find((e) => String(e.getFirstPropertyValue("uid")).startsWith(id));
        if (!v) {
          expect(url.includes("/feeds/events/") && !url.includes(id), `${name} in ${url}`).toBe(true);
          continue;
        }
        const lang = url.includes("lang=en") ? "en" : "fi";
        const want = (body.title as Record<string, string>)[lang] as string;
        expect(String(v.getFirstPropertyValue("summary")), `${name} ${url}`).toBe(
          want.replace(/\r\n?/g, "\n"),
        );
      }
      // Each stored event is in the full feed exactly once.
      if (url.startsWith("/feeds/events.ics")) {
        for (const id of stored.keys()) expect(uids.filter((u) => u.startsWith(id)).length).toBe(1);
      }
    }
  });

  it("parses as XML in RSS, with the payload as text", async () => {
    const res = await w.t.app.request("/feeds/events.rss?lang=fi");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(XMLValidator.validate(text)).toBe(true);
    expect(text).not.toContain("<script>");
    expect(text).not.toContain("<img");
    const rss = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: true }).parse(
      text,
    );
    const items = ([] as Record<string, unknown>[]).concat(rss.rss.channel.item);
    for (const [id, { name, body }] of stored) {
      const matching = items.filter((it) => String(it.link).endsWith(`/tapahtumat/${id}`));
      expect(matching.length, name).toBe(1);
      const want = (body.title as { fi: string }).fi.replace(/\r\n?/g, "\n");
      expect(String(matching[0]?.title).replace(/\r\n?/g, "\n"), name).toBe(want);
    }
  });

  it("rejects NUL and invalid Unicode (unpaired surrogates sent as JSON escapes) with a 400 naming the field", async () => {
    const member = w.as("member");
    for (const [field, value] of [
      ["title.fi", { title: { fi: "Ilta \uD800 loppu" } }],
      ["description.sv", { description: { sv: "x\uDFFFy" } }],
      ["price.en", { price: { en: "a\u0000b" } }],
      ["place.name.fi", { place_id: undefined, place: { name: { fi: "\uDBFF" } } }],
      ["links.0.label.fi", { links: [{ url: "https://example.com", label: { fi: "\u0000" } }] }],
    ] as const) {
      const r = await member("POST", "/api/v1/events", {
        organisation_id: w.orgA.id,
        ...w.event(value as Record<string, unknown>),
      });
      expect(r.status, field).toBe(400);
      const problem = await expectProblem(r.res, 400);
      expect(
        (problem.errors as { path: string }[]).map((e) => e.path),
        field,
      ).toContain(field);
    }
    // The same text sent as raw JSON escapes.
    const res = await w.t.app.request("/api/v1/submissions", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: `{"submitter":{"name":"A\\ud800","email":"a@example.com"},"event":{}}`,
    });
    const problem = await expectProblem(res, 400);
    expect(JSON.stringify(problem.errors)).toContain("submitter.name");
  });

  it("rejects 1 MB strings with 413, and an over-long field under the body limit with a 400 naming it", async () => {
    const member = w.as("member");
    const huge = "x".repeat(1024 * 1024);
    for (const over of [
      { title: { fi: huge } },
      { description: { en: huge } },
      { place_id: undefined, place: { name: { fi: huge } } },
    ]) {
      const r = await member("POST", "/api/v1/events", { organisation_id: w.orgA.id, ...w.event(over) });
      await expectProblem(r.res, 413);
    }
    const anon = await w.as("anonymous")("POST", "/api/v1/submissions", {
      submitter: { name: "x", email: "x@example.com" },
      event: w.event({ title: { fi: huge } }),
    });
    await expectProblem(anon.res, 413);
    const long = await member("POST", "/api/v1/events", {
      organisation_id: w.orgA.id,
      ...w.event({ description: { fi: "x".repeat(10_001) } }),
    });
    const problem = await expectProblem(long.res, 400);
    expect((problem.errors as { path: string }[]).map((e) => e.path)).toContain("description.fi");
  });

  it("answers deeply nested JSON (10,000 levels) with a 4xx problem, never a 500", async () => {
    for (const path of WRITE_PATHS) {
      for (const body of [
        deeplyNested(10_000),
        deeplyNested(10_000, "object"),
        `{"title":{"fi":${deeplyNested(10_000)}}}`,
        `{"event":${deeplyNested(9_000, "object")}}`,
      ]) {
        const res = await postJson(w.t.app, path, body);
        expect(res.status, path).toBeGreaterThanOrEqual(400);
        expect(res.status, path).toBeLessThan(500);
        await expectProblem(res);
      }
    }
    expect((await w.t.app.request("/healthz")).status).toBe(200);
  });
});
