/**
 * Categories administration (#21): the region's shared list and a municipality's own additions,
 * by municipality id. A is the world's (default) municipality; B is served under /b-kunta.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { municipalities, municipalityStaff } from "../src/db/schema.ts";
import { tenantCache } from "../src/http/tenant.ts";
import { onPostgres } from "./helpers/db.ts";
import { DEFAULT_MUNICIPALITY_ID } from "./helpers/tenant.ts";
import { createWorkflowWorld, type World } from "./helpers/workflow.ts";

const B = "/b-kunta";
let w: World;
let bId: string;
const A_ID = DEFAULT_MUNICIPALITY_ID;

beforeAll(async () => {
  const tenants = tenantCache();
  w = await createWorkflowWorld({ tenants });
  const [b] = await w.database.db
    .insert(municipalities)
    .values({ slug: "b-kunta", name: { fi: "B-kunta" } })
    .returning();
  bId = b!.id;
  // The organisation admin of the world is also B's municipality admin.
  await w.database.db
    .insert(municipalityStaff)
    .values({ municipalityId: b!.id, userId: w.ids.orgAdmin!, role: "admin" });
  tenants.invalidate();
});
afterAll(async () => {
  await w?.close();
});

const slugsOn = async (prefix: string) =>
  ((await w.raw("GET", `${prefix}/api/v1/categories`)).body.data as { slug: string }[]).map((c) => c.slug);

describe(`categories administration (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("a region admin adds a shared category: every municipality lists it", async () => {
    const admin = w.as("admin");
    const r = await admin("POST", `/api/v1/admin/municipalities/${A_ID}/categories`, {
      slug: "sirkus",
      name: { fi: "Sirkus", sv: "Cirkus" },
      yso_id: "p1234",
      shared: true,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ slug: "sirkus", shared: true, version: 1, events: 0 });
    expect(await slugsOn("")).toContain("sirkus");
    expect(await slugsOn(B)).toContain("sirkus");
  });

  it("a local category is its municipality's only, may repeat in another, and never shadows a shared one", async () => {
    const admin = w.as("admin");
    const inB = await admin("POST", `/api/v1/admin/municipalities/${bId}/categories`, {
      slug: "pesapallo",
      name: { fi: "Pesäpallo" },
    });
    expect(inB.status, JSON.stringify(inB.body)).toBe(201);
    expect(inB.body.shared).toBe(false);
    expect(await slugsOn(B)).toContain("pesapallo");
    expect(await slugsOn("")).not.toContain("pesapallo");
    const inA = await admin("POST", `/api/v1/admin/municipalities/${A_ID}/categories`, {
      slug: "pesapallo",
      name: { fi: "Pesis" },
    });
    expect(inA.status, JSON.stringify(inA.body)).toBe(201);
    const again = await admin("POST", `/api/v1/admin/municipalities/${bId}/categories`, {
      slug: "pesapallo",
      name: { fi: "X" },
    });
    expect(again.status).toBe(409);
    const shadow = await admin("POST", `/api/v1/admin/municipalities/${bId}/categories`, {
      slug: "musiikki",
      name: { fi: "Musa" },
    });
    expect(shadow.status).toBe(409);
    // A shared slug must be free everywhere, locals included.
    const shared = await admin("POST", `/api/v1/admin/municipalities/${A_ID}/categories`, {
      slug: "pesapallo",
      name: { fi: "Pesäpallo" },
      shared: true,
    });
    expect(shared.status).toBe(409);
  });

  it("events use the shared list and their own municipality's additions only", async () => {
    const member = w.as("member");
    const bEvent = await member(
      "POST",
      `${B}/api/v1/events`,
      w.event({
        organisation_id: w.orgA.id,
        categories: ["pesapallo", "musiikki"],
        place_id: undefined,
        place: { name: { fi: "Kenttä" } },
      }),
    );
    expect(bEvent.status, JSON.stringify(bEvent.body)).toBe(201);
    const list = await w.as("admin")("GET", `/api/v1/admin/municipalities/${bId}/categories`);
    const pesis = (list.body.data as { slug: string; events: number; shared: boolean }[]).find(
      (c) => c.slug === "pesapallo",
    );
    expect(pesis).toMatchObject({ events: 1, shared: false });
    // A's own "pesapallo" is another category: B's event is not counted on A's site.
    const aList = await w.as("admin")("GET", `/api/v1/admin/municipalities/${A_ID}/categories`);
    expect(
      (aList.body.data as { slug: string; events: number }[]).find((c) => c.slug === "pesapallo")?.events,
    ).toBe(0);
  });

  it("edits need the version read; a used category cannot be deleted", async () => {
    const admin = w.as("admin");
    const stale = await admin("PATCH", `/api/v1/admin/municipalities/${bId}/categories/pesapallo`, {
      version: 9,
      name: { fi: "X" },
    });
    expect(stale.status).toBe(409);
    const ok = await admin("PATCH", `/api/v1/admin/municipalities/${bId}/categories/pesapallo`, {
      version: 1,
      name: { fi: "Pesäpallo", sv: "Boboll" },
      sort_order: 5,
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ version: 2, name: { sv: "Boboll" }, sort_order: 5 });
    expect(
      (
        await admin("PATCH", `/api/v1/admin/municipalities/${bId}/categories/pesapallo`, {
          version: 1,
          sort_order: 1,
        })
      ).status,
    ).toBe(409);
    const used = await admin("DELETE", `/api/v1/admin/municipalities/${bId}/categories/pesapallo`, {
      version: 2,
    });
    expect(used.status).toBe(409);
    expect(used.body.detail).toMatch(/1 events/);
    const unused = await admin("DELETE", `/api/v1/admin/municipalities/${A_ID}/categories/pesapallo`, {
      version: 1,
    });
    expect(unused.status).toBe(204);
    expect(
      (await admin("DELETE", `/api/v1/admin/municipalities/${A_ID}/categories/pesapallo`, { version: 1 }))
        .status,
    ).toBe(404);
  });

  it("a municipality's admin manages its own categories, not another's nor the shared list", async () => {
    const bAdmin = w.as("orgAdmin");
    const own = await bAdmin("POST", `/api/v1/admin/municipalities/${bId}/categories`, {
      slug: "kylajuhla",
      name: { fi: "Kyläjuhla" },
    });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect((await bAdmin("GET", `/api/v1/admin/municipalities/${bId}/categories`)).status).toBe(200);
    expect((await bAdmin("GET", `/api/v1/admin/municipalities/${A_ID}/categories`)).status).toBe(403);
    const unknown = "00000000-0000-4000-8000-00000000abcd";
    expect((await w.as("admin")("GET", `/api/v1/admin/municipalities/${unknown}/categories`)).status).toBe(
      404,
    );
    expect(
      (
        await bAdmin("POST", `/api/v1/admin/municipalities/${bId}/categories`, {
          slug: "yhteinen",
          name: { fi: "Y" },
          shared: true,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await bAdmin("POST", `/api/v1/admin/municipalities/${A_ID}/categories`, {
          slug: "vieras",
          name: { fi: "V" },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await bAdmin("PATCH", `/api/v1/admin/municipalities/${A_ID}/categories/musiikki`, {
          version: 1,
          sort_order: 1,
        })
      ).status,
    ).toBe(403);
  });

  it("only admins manage categories; bad input names the field", async () => {
    expect((await w.as("anonymous")("GET", `/api/v1/admin/municipalities/${A_ID}/categories`)).status).toBe(
      401,
    );
    expect((await w.as("member")("GET", `/api/v1/admin/municipalities/${A_ID}/categories`)).status).toBe(403);
    expect(
      (
        await w.as("moderator")("POST", `/api/v1/admin/municipalities/${A_ID}/categories`, {
          slug: "xx",
          name: { fi: "X" },
        })
      ).status,
    ).toBe(403);
    const admin = w.as("admin");
    const bad = await admin("POST", `/api/v1/admin/municipalities/${A_ID}/categories`, {
      slug: "Iso Kirjain",
      name: { sv: "X" },
    });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(["name.fi", "slug"]);
    const badYso = await admin("PATCH", `/api/v1/admin/municipalities/${A_ID}/categories/sirkus`, {
      version: 1,
      yso_id: "x1",
    });
    expect(badYso.status).toBe(400);
    expect(badYso.body.errors[0].path).toBe("yso_id");
  });
});
