/**
 * Anonymous submission through confirmation and magic links; notification texts in
 * fi, sv and en; privacy: contact details never public; GDPR export and deletion.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events, users } from "../src/db/schema.ts";
import { createRenderer } from "../src/domain/notifications/notifications.ts";
import { createWorkflowWorld, PASSWORD, tokenFrom, type World } from "./helpers/workflow.ts";

let w: World;
beforeAll(async () => {
  w = await createWorkflowWorld();
});
afterAll(async () => {
  await w.close();
});

const mails = (to: string) => w.mailsTo(to);

describe("anonymous submission", () => {
  it("enters the queue only after the emailed link is confirmed; the magic link edits only own submissions", async () => {
    const sub = await w.raw("POST", "/api/v1/submissions", {
      submitter: { name: "Liisa Virtanen", email: "liisa@example.fi" },
      event: w.event({ title: { fi: "Kyläkirppis" }, place_id: w.otherPlace.id }),
      locale: "sv",
      website: "",
    });
    expect(sub.status).toBe(202);
    expect((await w.as("moderator")("GET", "/api/v1/moderation/queue?q=kyläkirppis")).body.data).toHaveLength(
      0,
    );

    // The confirmation email, sent by the dispatcher in Swedish, carries the link.
    await w.t.outbox.dispatch(w.database.db, w.clock.now());
    const mail = w.t.sent.find((m) => m.to === "liisa@example.fi");
    expect(mail?.subject).toMatch(/^Bekräfta din evenemangsanmälan: Kyläkirppis/);
    const link = mail?.text.match(/http:\/\/kalenteri\.test\/ilmoita\/vahvista\?token=[\w-]+/)?.[0] as string;
    expect(link).toBeTruthy();

    const confirmed = await w.raw("POST", "/api/v1/submissions/confirm", { token: tokenFrom(link) });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.state).toBe("pending");
    expect((await w.raw("POST", "/api/v1/submissions/confirm", { token: tokenFrom(link) })).status).toBe(400);
    const queue = await w.as("moderator")("GET", "/api/v1/moderation/queue?q=kyläkirppis");
    expect(queue.body.data[0]).toMatchObject({
      submitter: { name: "Liisa Virtanen", email: "liisa@example.fi" },
    });

    const magic = { "X-Submitter-Token": confirmed.body.access_token as string };
    const mine = await w.raw("GET", "/api/v1/submissions/mine", undefined, magic);
    expect(mine.body.data).toHaveLength(1);
    // Someone signed in (a session cookie) can still use their magic link: the explicit token wins.
    const mineSignedIn = await w.as("member")("GET", "/api/v1/submissions/mine", undefined, magic);
    expect(mineSignedIn.status).toBe(200);
    expect(mineSignedIn.body.data.map((e: { id: string }) => e.id)).toEqual([mine.body.data[0].id]);
    const id = mine.body.data[0].id as string;
    const edited = await w.raw(
      "PATCH",
      `/api/v1/submissions/${id}`,
      { version: mine.body.data[0].version, title: { fi: "Kyläkirppis ja kahvila" } },
      magic,
    );
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);

    // Not someone else's event.
    const other = await w.eventIn("published");
    expect(
      (
        await w.raw(
          "PATCH",
          `/api/v1/submissions/${other.id}`,
          { version: other.version, title: { fi: "Hacked" } },
          magic,
        )
      ).status,
    ).toBe(403);
    expect(
      (await w.raw("POST", `/api/v1/events/${other.id}/cancel`, { version: other.version }, magic)).status,
    ).toBe(403);

    // Published, then cancelled by the submitter: stays visible, marked cancelled.
    const ok = await w.as("moderator")("POST", `/api/v1/moderation/events/${id}/approve`, {
      version: edited.body.version,
    });
    expect((await mails("liisa@example.fi")).map((m) => m.kind)).toEqual([
      "submission_confirm",
      "submission_received",
      "event_approved",
    ]);
    const cancelled = await w.raw(
      "POST",
      `/api/v1/submissions/${id}/cancel`,
      { version: ok.body.version },
      magic,
    );
    expect(cancelled.body.event_status).toBe("cancelled");
    expect(
      (
        await w.raw("GET", `/api/v1/submissions/mine`, undefined, {
          "X-Submitter-Token": "nonsense-token-123",
        })
      ).status,
    ).toBe(401);
  });

  it("drops a submission whose honeypot field is filled, answering the same", async () => {
    const before = (await w.database.db.select().from(events)).length;
    const r = await w.raw("POST", "/api/v1/submissions", {
      submitter: { name: "Bot", email: "bot@spam.example" },
      event: w.event(),
      website: "http://spam.example",
    });
    expect(r.status).toBe(202);
    expect((await w.database.db.select().from(events)).length).toBe(before);
  });

  it("emails a fresh magic link on request", async () => {
    expect((await w.raw("POST", "/api/v1/submissions/access", { email: "LIISA@example.fi" })).status).toBe(
      202,
    );
    expect((await mails("liisa@example.fi")).map((m) => m.kind)).toContain("submitter_access");
  });
});

describe("notification texts", () => {
  const render = createRenderer({ publicUrl: "https://tapahtumat.example.fi", siteName: "Kalenteri" });
  const n = (kind: string, locale: "fi" | "sv" | "en") =>
    render({
      kind,
      recipient: "a@b.fi",
      locale,
      payload: { title: "Kesäjuhla", path: "/omat/tapahtumat/1", reason: "Päällekkäinen tapahtuma" },
    });

  it.each([
    ["fi", "Tapahtumaa ei julkaistu: Kesäjuhla", "Perustelu: Päällekkäinen tapahtuma"],
    ["sv", "Evenemanget publicerades inte: Kesäjuhla", "Motivering: Päällekkäinen tapahtuma"],
    ["en", "Event not published: Kesäjuhla", "Reason: Päällekkäinen tapahtuma"],
  ] as const)("rejection in %s with reason and link", (locale, subject, reason) => {
    const m = n("event_rejected", locale);
    expect(m.subject).toBe(`${subject} – Kalenteri`);
    expect(m.text).toContain(reason);
    expect(m.text).toContain("https://tapahtumat.example.fi/omat/tapahtumat/1");
  });

  it("every kind has a text in all three languages", async () => {
    const { TEMPLATES } = await import("../src/domain/notifications/notifications.ts");
    for (const kind of Object.keys(TEMPLATES)) {
      const texts = (["fi", "sv", "en"] as const).map((l) => n(kind, l).subject);
      expect(new Set(texts).size, kind).toBe(3);
    }
  });

  it("queues the organiser's notifications in their own language (orgAdmin is Swedish-speaking)", async () => {
    const created = await w.as("orgAdmin")("POST", "/api/v1/events", {
      organisation_id: w.orgA.id,
      ...w.event({ place_id: w.otherPlace.id }),
    });
    await w.as("orgAdmin")("POST", `/api/v1/events/${created.body.id}/submit`, { version: 1 });
    const rows = await mails("admin@a.test");
    expect(rows.find((r) => r.kind === "submission_received")).toMatchObject({
      locale: "sv",
      payload: { title: "Sommarkonsert i föreningshuset" },
    });
  });
});

describe("privacy", () => {
  it("contact details and submitter emails never appear in public responses", async () => {
    const published = await w.eventIn("published");
    const paths = [
      "/api/v1/events?limit=100&from=2026-01-01",
      `/api/v1/events/${published.id}`,
      "/api/v1/organisations",
      "/api/v1/places",
      "/api/v1/openapi.json",
    ];
    const secrets = [
      "private-a@a.test",
      "+358401234567",
      "liisa@example.fi",
      "member@a.test",
      "admin@a.test",
    ];
    for (const path of paths) {
      const text = await (await w.t.app.request(path, { headers: { Accept: "application/json" } })).text();
      for (const s of secrets) expect(text, `${path} leaks ${s}`).not.toContain(s);
    }
  });

  it("exports a person's data and deletes the account, keeping published events with their organisation", async () => {
    const world = await createWorkflowWorld();
    try {
      const pub = await world.eventIn("published");
      const exported = await world.as("member")("GET", "/api/v1/me/export");
      expect(exported.body.user.email).toBe("member@a.test");
      expect(exported.body.events_created.map((e: { id: string }) => e.id)).toContain(pub.id);
      // Closing the account asks for the password again.
      const wrong = await world.as("member")("DELETE", "/api/v1/me", { password: "not-my-password" });
      expect(wrong.status).toBe(400);
      expect(wrong.body.errors[0].path).toBe("password");
      const del = await world.as("member")("DELETE", "/api/v1/me", { password: PASSWORD });
      expect(del.status).toBe(204);
      const [u] = await world.database.db.select().from(users).where(eq(users.id, world.ids.member!));
      expect(u).toMatchObject({ displayName: "", passwordHash: null });
      expect(u?.email).not.toContain("member@a.test");
      const ev = await world.raw("GET", `/api/v1/events/${pub.id}`);
      expect(ev.status).toBe(200);
      expect(ev.body.organisation.name).toBe("Yhdistys A");
      expect(
        (
          await world.raw("POST", "/api/v1/auth/login", {
            email: "member@a.test",
            password: "salasana-123456",
          })
        ).status,
      ).toBe(401);
    } finally {
      await world.close();
    }
  });
});
