/** Inserts events straight into the database for read-side tests (no workflow). */
import { eq, inArray } from "drizzle-orm";
import type { Queryable } from "../../src/db/client.ts";
import { categories, eventCategories, events, organisations, places } from "../../src/db/schema.ts";
import { materialiseOccurrences } from "../../src/domain/events/occurrences.ts";
import { refreshSearchVectors } from "../../src/domain/events/search.ts";
import { DEFAULT_MUNICIPALITY_ID } from "./tenant.ts";

export type EventFixture = Partial<typeof events.$inferInsert> & {
  title: typeof events.$inferInsert.title;
  startsAt: Date;
  endsAt: Date;
  categorySlugs?: string[];
  placeSlug?: string;
  organisationSlug?: string;
};

export async function insertEvent(db: Queryable, f: EventFixture, now: Date): Promise<string> {
  const { categorySlugs = [], placeSlug, organisationSlug, ...row } = f;
  const placeId = placeSlug
    ? (await db.select({ id: places.id }).from(places).where(eq(places.slug, placeSlug)))[0]?.id
    : row.placeId;
  const organisationId = organisationSlug
    ? (
        await db
          .select({ id: organisations.id })
          .from(organisations)
          .where(eq(organisations.slug, organisationSlug))
      )[0]?.id
    : row.organisationId;
  const [inserted] = await db
    .insert(events)
    .values({
      municipalityId: DEFAULT_MUNICIPALITY_ID,
      state: "published",
      publishedAt: now,
      updatedAt: now,
      createdAt: now,
      ...row,
      placeId: placeId ?? null,
      organisationId: organisationId ?? null,
    })
    .returning();
  if (!inserted) throw new Error("insert failed");
  if (categorySlugs.length) {
    const cats = await db
      .select({ id: categories.id })
      .from(categories)
      .where(inArray(categories.slug, categorySlugs));
    await db.insert(eventCategories).values(cats.map((c) => ({ eventId: inserted.id, categoryId: c.id })));
  }
  await materialiseOccurrences(db, inserted.id, inserted, now);
  await refreshSearchVectors(db, [inserted.id]);
  return inserted.id;
}
