/** Organiser and moderator workflow through the API: the happy paths. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkflowWorld, type World } from "./helpers/workflow.ts";

let w: World;
beforeAll(async () => {
  w = await createWorkflowWorld();
});
afterAll(async () => {
  await w.close();
});

const outboxTo = async (email: string) => {
  const { outbox } = await import("../src/db/schema.ts");
  const { eq } = await import("drizzle-orm");
  return w.database.db.select().from(outbox).where(eq(outbox.recipient, email));
};

describe("organiser → moderator → published", () => {
  it("creates a draft (201 with id, version, state), submits, and a moderator approves", async () => {
    const member = w.as("member");
    const created = await member("POST", "/api/v1/events", { organisation_id: w.orgA.id, ...w.event() });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ state: "draft", version: 1 });
    const id = created.body.id as string;

    const publicBefore = await w.raw("GET", `/api/v1/events/${id}`);
    expect(publicBefore.status).toBe(404);

    const submitted = await member("POST", `/api/v1/events/${id}/submit`, { version: 1 });
    expect(submitted.body).toMatchObject({ state: "pending", version: 2 });
    expect((await outboxTo("member@a.test")).map((n) => n.kind)).toContain("submission_received");
    expect((await outboxTo("moderator@kunta.test")).map((n) => n.kind)).toContain(
      "moderation_new_submission",
    );

    const queue = await w.as("moderator")("GET", "/api/v1/moderation/queue");
    expect(queue.status).toBe(200);
    const item = queue.body.data.find((i: { id: string }) => i.id === id);
    expect(item).toMatchObject({ kind: "submission", version: 2, organisation: { name: "Yhdistys A" } });
    expect(queue.body.counts.submissions).toBeGreaterThanOrEqual(1);

    const approved = await w.as("moderator")("POST", `/api/v1/moderation/events/${id}/approve`, {
      version: 2,
    });
    expect(approved.body).toMatchObject({ state: "published", version: 3, sequence: 0 });
    expect((await outboxTo("member@a.test")).map((n) => n.kind)).toContain("event_approved");
    const pub = await w.raw("GET", `/api/v1/events/${id}`);
    expect(pub.status).toBe(200);
    expect(pub.body.title).toEqual({ lang: "fi", text: "Kesäkonsertti seurantalolla" });

    const log = await w.as("moderator")("GET", `/api/v1/moderation/log?event_id=${id}`);
    expect(log.body.data.map((e: { action: string }) => e.action)).toEqual(["approve", "submit"]);
    expect(log.body.data[0]).toMatchObject({ before: { state: "pending" }, after: { state: "published" } });
  });

  it("edits a published event as a pending revision with a diff; approval applies it and bumps SEQUENCE", async () => {
    const { id, version } = await w.eventIn("published");
    const member = w.as("member");
    const edited = await member("PATCH", `/api/v1/events/${id}`, {
      version,
      title: { fi: "Kesäkonsertti siirtyy", sv: "Sommarkonsert i föreningshuset" },
      end: "2026-07-01T21:00:00+03:00",
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ state: "published", pending_revision: true });
    // The live version stays until approved.
    const live = await w.raw("GET", `/api/v1/events/${id}`);
    expect(live.body.title.text).toBe("Kesäkonsertti seurantalolla");

    const queue = await w.as("moderator")("GET", "/api/v1/moderation/queue?kind=revision");
    const item = queue.body.data.find((i: { id: string }) => i.id === id);
    expect(item.kind).toBe("revision");
    expect(item.changes).toEqual([
      { field: "end", before: "2026-07-01T20:00:00+03:00", after: "2026-07-01T21:00:00+03:00" },
      { field: "title.fi", before: "Kesäkonsertti seurantalolla", after: "Kesäkonsertti siirtyy" },
    ]);

    const ok = await w.as("moderator")("POST", `/api/v1/moderation/events/${id}/approve`, {
      version: item.version,
    });
    expect(ok.body).toMatchObject({ state: "published", sequence: 1 });
    const after = await w.raw("GET", `/api/v1/events/${id}`);
    expect(after.body.title.text).toBe("Kesäkonsertti siirtyy");
    expect(after.body.end).toBe("2026-07-01T21:00:00+03:00");
    expect((await outboxTo("member@a.test")).map((n) => n.kind)).toContain("revision_approved");
  });

  it("request changes returns the event to draft with the comment shown in my events", async () => {
    const { id, version } = await w.eventIn("pending");
    const r = await w.as("moderator")("POST", `/api/v1/moderation/events/${id}/request-changes`, {
      version,
      comment: "Lisää hinta",
    });
    expect(r.body.state).toBe("draft");
    const mine = await w.as("member")("GET", "/api/v1/me/events");
    const row = mine.body.data.find((e: { id: string }) => e.id === id);
    expect(row).toMatchObject({
      state: "draft",
      moderator_comment: { action: "request_changes", text: "Lisää hinta" },
    });
    // The organisation's admin sees it as well; another organisation does not.
    expect(
      (await w.as("orgAdmin")("GET", "/api/v1/me/events")).body.data.some((e: { id: string }) => e.id === id),
    ).toBe(true);
    expect(
      (await w.as("otherOrg")("GET", "/api/v1/me/events")).body.data.some((e: { id: string }) => e.id === id),
    ).toBe(false);
    const detail = await w.as("member")("GET", `/api/v1/me/events/${id}`);
    expect(detail.body.decisions[0]).toMatchObject({ action: "request_changes", reason: "Lisää hinta" });
    expect(detail.body.allowed_actions).toContain("submit");
  });

  it("rejects with a reason, withdraws a pending submission", async () => {
    const rejected = await w.eventIn("rejected");
    const mine = await w.as("member")("GET", "/api/v1/me/events?state=rejected");
    expect(mine.body.data.find((e: { id: string }) => e.id === rejected.id).moderator_comment.text).toBe(
      "Ei sovi",
    );
    const p = await w.eventIn("pending");
    const back = await w.as("member")("POST", `/api/v1/events/${p.id}/withdraw`, { version: p.version });
    expect(back.body).toMatchObject({ state: "draft", version: p.version + 1 });
  });

  it("cancels and postpones a published event at once, bumping SEQUENCE; cancelled stays visible", async () => {
    const { id, version } = await w.eventIn("published");
    const postponed = await w.as("member")("POST", `/api/v1/events/${id}/postpone`, { version });
    expect(postponed.body).toMatchObject({ state: "published", event_status: "postponed" });
    const cancelled = await w.as("orgAdmin")("POST", `/api/v1/events/${id}/cancel`, {
      version: postponed.body.version,
    });
    expect(cancelled.body).toMatchObject({ event_status: "cancelled" });
    const pub = await w.raw("GET", `/api/v1/events/${id}`);
    expect(pub.body).toMatchObject({ event_status: "cancelled", sequence: 2 });
  });

  it("a moderator's cancellation notifies the organiser with the reason", async () => {
    const { id, version } = await w.eventIn("published");
    const r = await w.as("moderator")("POST", `/api/v1/events/${id}/cancel`, {
      version,
      reason: "Tila suljettu",
    });
    expect(r.status).toBe(200);
    const mail = (await outboxTo("member@a.test")).filter((n) => n.kind === "cancelled_by_moderator");
    expect(mail.at(-1)?.payload).toMatchObject({ reason: "Tila suljettu" });
  });

  it("a trusted organisation publishes directly, still logged", async () => {
    const m = w.as("trustedMember");
    const c = await m("POST", "/api/v1/events", {
      organisation_id: w.orgT.id,
      ...w.event({ place_id: w.otherPlace.id }),
    });
    const s = await m("POST", `/api/v1/events/${c.body.id}/submit`, { version: c.body.version });
    expect(s.body.state).toBe("published");
    const log = await w.as("moderator")("GET", `/api/v1/moderation/log?event_id=${c.body.id}`);
    expect(log.body.data[0]).toMatchObject({ action: "publish_trusted", actor: { kind: "user" } });
    // Edits of a trusted organisation's published event apply at once.
    const e = await m("PATCH", `/api/v1/events/${c.body.id}`, {
      version: s.body.version,
      title: { fi: "Satutunti" },
    });
    expect(e.body.pending_revision).toBeUndefined();
    expect((await w.raw("GET", `/api/v1/events/${c.body.id}`)).body.title.text).toBe("Satutunti");
  });

  it("moderators mark organisations trusted", async () => {
    const r = await w.as("moderator")("POST", `/api/v1/moderation/organisations/${w.orgB.id}/trust`, {
      trusted: true,
    });
    expect(r.body.trusted).toBe(true);
    await w.as("moderator")("POST", `/api/v1/moderation/organisations/${w.orgB.id}/trust`, {
      trusted: false,
    });
  });

  it("bulk approve decides several events in one go", async () => {
    const a = await w.eventIn("pending", { title: { fi: "Lentopallo" }, place_id: w.otherPlace.id });
    const b = await w.eventIn("pending", {
      title: { fi: "Shakkikerho" },
      place_id: w.otherPlace.id,
      start: "2026-08-01T10:00:00+03:00",
      end: "2026-08-01T12:00:00+03:00",
    });
    const r = await w.as("moderator")("POST", "/api/v1/moderation/bulk", {
      action: "approve",
      items: [a, b],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data.map((d: { state: string }) => d.state)).toEqual(["published", "published"]);
  });

  it("warns organiser and moderator of a likely duplicate (same place, overlapping time, similar title)", async () => {
    await w.eventIn("published", {
      title: { fi: "Joulumyyjäiset seurantalolla" },
      start: "2026-12-05T10:00:00+02:00",
      end: "2026-12-05T14:00:00+02:00",
    });
    const member = w.as("orgAdmin");
    const dup = await member("POST", "/api/v1/events", {
      organisation_id: w.orgA.id,
      ...w.event({
        title: { fi: "Joulumyyjäiset seurantalolla!" },
        start: "2026-12-05T11:00:00+02:00",
        end: "2026-12-05T13:00:00+02:00",
      }),
    });
    expect(dup.body.warnings.duplicates).toHaveLength(1);
    expect(dup.body.warnings.duplicates[0].similarity).toBeGreaterThan(0.8);
    const s = await member("POST", `/api/v1/events/${dup.body.id}/submit`, { version: 1 });
    expect(s.body.warnings.duplicates).toHaveLength(1);
    const queue = await w.as("moderator")("GET", "/api/v1/moderation/queue?q=joulumyy");
    expect(queue.body.data[0].duplicates).toHaveLength(1);
    // A different title at the same time and place is no duplicate.
    const other = await member("POST", "/api/v1/events", {
      organisation_id: w.orgA.id,
      ...w.event({
        title: { fi: "Kuorokonsertti" },
        start: "2026-12-05T11:00:00+02:00",
        end: "2026-12-05T13:00:00+02:00",
      }),
    });
    expect(other.body.warnings.duplicates).toEqual([]);
  });

  it("accepts all-day dates, recurrence, a new place and every optional field", async () => {
    const r = await w.as("member")("POST", "/api/v1/events", {
      organisation_id: w.orgA.id,
      title: { sv: "Konstutställning" },
      start: "2026-07-01",
      end: "2026-07-03",
      rrule: "FREQ=WEEKLY;COUNT=3",
      exdates: ["2026-07-08"],
      place: {
        name: { fi: "Uusi galleria" },
        street_address: "Kirkkotie 1",
        postal_code: "01900",
        locality: "Nurmijärvi",
      },
      audience: { min_age: 7, max_age: 99 },
      languages: ["sv", "fi"],
      is_free: false,
      price: { fi: "10 €" },
      ticket_url: "https://liput.example.fi/1",
      image: {
        url: "https://kuvat.example.fi/1.jpg",
        alt: { sv: "Tavlor" },
        licence: "CC BY 4.0",
        photographer: "Anna",
      },
      accessibility: ["wheelchair_accessible"],
      links: [{ url: "https://galleria.example.fi", label: { fi: "Kotisivu" } }],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const detail = await w.as("member")("GET", `/api/v1/me/events/${r.body.id}`);
    expect(detail.body.event).toMatchObject({
      start: "2026-07-01",
      end: "2026-07-03",
      rrule: "FREQ=WEEKLY;COUNT=3",
      exdates: ["2026-07-08"],
    });
    expect(detail.body.event.place_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
