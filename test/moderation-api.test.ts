/**
 * The moderation API added for the moderator pages: one event for review (with the
 * revision diff and the submitter's contact), the log with filters, titles and a cursor,
 * the organisation list with member counts, and trust changes recorded in the log.
 * Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkflowWorld, type World } from "./helpers/workflow.ts";

let w: World;
beforeAll(async () => {
  w = await createWorkflowWorld();
});
afterAll(async () => {
  await w.close();
});

const mod = () => w.as("moderator");

describe("GET /moderation/events/{id}", () => {
  it("shows a pending submission with its organisation's private contact, place, categories and history", async () => {
    const { id, version } = await w.eventIn("pending");
    const r = await mod()("GET", `/api/v1/moderation/events/${id}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      id,
      version,
      state: "pending",
      kind: "submission",
      organisation: {
        id: w.orgA.id,
        name: "Yhdistys A",
        trusted: false,
        contact_email: "private-a@a.test",
        contact_phone: "+358401234567",
      },
      created_by: { name: "member", email: "member@a.test" },
      submitter: null,
      revision: null,
      changes: null,
      decisions: ["approve", "reject", "request_changes"],
    });
    expect(r.body.event.title.fi).toBe("Kesäkonsertti seurantalolla");
    expect(r.body.places).toEqual([
      expect.objectContaining({ id: w.place.id, name: { fi: "Seurantalo", sv: "Föreningshuset" } }),
    ]);
    expect(r.body.categories).toEqual([
      { slug: "musiikki", name: { fi: "Musiikki", sv: "Musik", en: "Music" } },
    ]);
    expect(r.body.history.map((e: { action: string }) => e.action)).toEqual(["submit"]);
    expect(typeof r.body.queued_at).toBe("string");
  });

  it("shows a pending revision of a published event with the field diff", async () => {
    const { id } = await w.eventIn("revision");
    const r = await mod()("GET", `/api/v1/moderation/events/${id}`);
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe("revision");
    expect(r.body.state).toBe("published");
    expect(r.body.revision.proposed.title.fi).toBe("Muutettu otsikko");
    expect(r.body.changes).toContainEqual({
      field: "title.fi",
      before: "Kesäkonsertti seurantalolla",
      after: "Muutettu otsikko",
    });
  });

  it("shows warnings for a likely duplicate at the same place and time", async () => {
    const first = await w.eventIn("published", {
      place_id: w.otherPlace.id,
      title: { fi: "Satutunti kirjastossa" },
    });
    const second = await w.eventIn("pending", {
      place_id: w.otherPlace.id,
      title: { fi: "Satutunti kirjastolla" },
    });
    const r = await mod()("GET", `/api/v1/moderation/events/${second.id}`);
    expect(r.body.duplicates.map((d: { event_id: string }) => d.event_id)).toContain(first.id);
  });

  it("offers no decisions on an event that is not waiting for one", async () => {
    const { id } = await w.eventIn("published");
    const r = await mod()("GET", `/api/v1/moderation/events/${id}`);
    expect(r.body).toMatchObject({ kind: null, queued_at: null, decisions: [] });
  });

  it("is for moderators and admins only, and answers bad ids with problems", async () => {
    const { id } = await w.eventIn("pending");
    expect((await w.as("anonymous")("GET", `/api/v1/moderation/events/${id}`)).status).toBe(401);
    expect((await w.as("member")("GET", `/api/v1/moderation/events/${id}`)).status).toBe(403);
    expect((await w.as("admin")("GET", `/api/v1/moderation/events/${id}`)).status).toBe(200);
    const bad = await mod()("GET", "/api/v1/moderation/events/not-a-uuid");
    expect(bad.status).toBe(400);
    expect(bad.res.headers.get("content-type")).toMatch(/application\/problem\+json/);
    const missing = await mod()("GET", "/api/v1/moderation/events/0b5e1a56-8f0e-4c49-9d0a-3f1f2a4b5c6d");
    expect(missing.status).toBe(404);
  });
});

describe("GET /moderation/log", () => {
  it("filters by action and event, names the event and pages with a cursor", async () => {
    const a = await w.eventIn("rejected", { title: { fi: "Hylättävä tapahtuma" } });
    const b = await w.eventIn("rejected");
    const rejects = await mod()("GET", "/api/v1/moderation/log?action=reject&limit=1");
    expect(rejects.status).toBe(200);
    expect(rejects.body.data).toHaveLength(1);
    expect(rejects.body.data[0]).toMatchObject({ action: "reject", event_id: b.id, reason: "Ei sovi" });
    expect(rejects.body.data[0].event_title.fi).toBe("Kesäkonsertti seurantalolla");
    expect(rejects.body.data[0].actor).toMatchObject({ kind: "user", name: "moderator" });
    expect(typeof rejects.body.next_before).toBe("number");
    const older = await mod()(
      "GET",
      `/api/v1/moderation/log?action=reject&limit=1&before=${rejects.body.next_before}`,
    );
    expect(older.body.data[0]).toMatchObject({ event_id: a.id, event_title: { fi: "Hylättävä tapahtuma" } });

    const one = await mod()("GET", `/api/v1/moderation/log?event_id=${a.id}`);
    expect(one.body.data.map((e: { action: string }) => e.action)).toEqual(["reject", "submit"]);
    expect(one.body.next_before).toBeNull();
  });

  it("answers an unknown action or a bad cursor with a problem naming the parameter", async () => {
    const r = await mod()("GET", "/api/v1/moderation/log?action=explode");
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.errors)).toContain("action");
    expect((await mod()("GET", "/api/v1/moderation/log?before=-1")).status).toBe(400);
    expect((await w.as("member")("GET", "/api/v1/moderation/log")).status).toBe(403);
  });
});

describe("organisations", () => {
  it("lists organisations with member and event counts and the trusted flag", async () => {
    await w.eventIn("pending");
    const r = await mod()("GET", "/api/v1/moderation/organisations");
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(3);
    expect(r.body.data.map((o: { name: string }) => o.name)).toEqual([
      "Kunnan kirjasto",
      "Yhdistys A",
      "Yhdistys B",
    ]);
    const a = r.body.data.find((o: { id: string }) => o.id === w.orgA.id);
    expect(a).toMatchObject({ members: 2, trusted: false });
    expect(a.pending_events).toBeGreaterThanOrEqual(1);
    expect(r.body.data.find((o: { id: string }) => o.id === w.orgT.id)).toMatchObject({
      trusted: true,
      members: 1,
    });

    const trusted = await mod()("GET", "/api/v1/moderation/organisations?trusted=true");
    expect(trusted.body.data.map((o: { id: string }) => o.id)).toEqual([w.orgT.id]);
    const named = await mod()("GET", "/api/v1/moderation/organisations?q=yhdistys%20b");
    expect(named.body.data.map((o: { id: string }) => o.id)).toEqual([w.orgB.id]);
    expect((await mod()("GET", "/api/v1/moderation/organisations?trusted=maybe")).status).toBe(400);
    expect((await mod()("GET", "/api/v1/moderation/organisations?q=a%00b")).status).toBe(400);
    expect((await mod()("GET", "/api/v1/moderation/queue?q=a%00b")).status).toBe(400);
    expect((await w.as("orgAdmin")("GET", "/api/v1/moderation/organisations")).status).toBe(403);
  });

  it("records trust changes in the moderation log", async () => {
    const on = await mod()("POST", `/api/v1/moderation/organisations/${w.orgB.id}/trust`, { trusted: true });
    expect(on.status).toBe(200);
    expect(on.body.trusted).toBe(true);
    const off = await mod()("POST", `/api/v1/moderation/organisations/${w.orgB.id}/trust`, {
      trusted: false,
    });
    expect(off.body.trusted).toBe(false);
    const log = await mod()("GET", "/api/v1/moderation/log?limit=2");
    expect(log.body.data.map((e: { action: string }) => e.action)).toEqual(["untrust", "trust"]);
    expect(log.body.data[0]).toMatchObject({
      event_id: null,
      event_title: null,
      before: { organisation_id: w.orgB.id, trusted: true },
      after: { organisation_id: w.orgB.id, name: "Yhdistys B", trusted: false },
    });
    const missing = await mod()(
      "POST",
      "/api/v1/moderation/organisations/0b5e1a56-8f0e-4c49-9d0a-3f1f2a4b5c6d/trust",
      {
        trusted: true,
      },
    );
    expect(missing.status).toBe(404);
    // Nothing half-written: a failed trust change leaves no log entry.
    const after = await mod()("GET", "/api/v1/moderation/log?limit=1");
    expect(after.body.data[0].id).toBe(log.body.data[0].id);
  });

  it("documents the new routes in the OpenAPI document", async () => {
    const doc = await w.raw("GET", "/api/v1/openapi.json");
    const paths = Object.keys(doc.body.paths ?? {});
    for (const p of [
      "/api/v1/moderation/events/{id}",
      "/api/v1/moderation/organisations",
      "/api/v1/moderation/log",
    ]) {
      expect(paths, p).toContain(p);
    }
  });
});
