/**
 * Events the feed tests need beyond the demo data, written straight into the
 * database: all-day, multi-day (dates and times), a weekly series across the October
 * DST change with an excluded and an extra date, a cancelled event, and texts made to
 * break feeds (ä/ö/å, commas, line breaks, injected properties, XML markup).
 */
import { eq, isNotNull } from "drizzle-orm";
import type { Db } from "../../src/db/client.ts";
import { categories, eventCategories, events, organisations, places } from "../../src/db/schema.ts";
import { materialiseOccurrences } from "../../src/domain/events/occurrences.ts";
import { SEED_NOW } from "./seeded.ts";
import { DEFAULT_MUNICIPALITY_ID } from "./tenant.ts";

export const LONG_FI =
  "Äänekäs ööpöytäkeskustelu Hyvinkään ja Nurmijärven välillä: jäätelöä, pääsiäismunia ja yötä myöten " +
  "kestävää söpöä hälinää. Åbolands svenska föreläsning om ärter, öar och ål – ånga på, hälsar föreningen!";

export interface FeedFixtures {
  allDay: string;
  multiDay: string;
  multiDayTimed: string;
  weekly: string;
  cancelled: string;
  injection: string;
  markup: string;
  orgSlug: string;
  placeSlug: string;
}

export async function insertFeedFixtures(db: Db): Promise<FeedFixtures> {
  const [org] = await db.select().from(organisations).limit(1);
  const [place] = await db.select().from(places).where(isNotNull(places.lat)).limit(1);
  const [cat] = await db.select().from(categories).where(eq(categories.slug, "kulttuuri"));
  if (!org || !place || !cat) throw new Error("seed data missing");
  // Private contacts that must never reach a feed.
  await db
    .update(organisations)
    .set({ contactEmail: "private-contact@example.invalid", contactPhone: "+358 40 000 0000" })
    .where(eq(organisations.id, org.id));

  const add = async (values: Partial<typeof events.$inferInsert> & { startsAt: Date; endsAt: Date }) => {
    const [row] = await db
      .insert(events)
      .values({
        municipalityId: DEFAULT_MUNICIPALITY_ID,
        title: { fi: "Testi" },
        organisationId: org.id,
        placeId: place.id,
        state: "published",
        publishedAt: new Date("2026-09-20T08:00:00Z"),
        createdAt: new Date("2026-09-15T08:00:00Z"),
        updatedAt: new Date("2026-09-20T08:00:00Z"),
        ...values,
      })
      .returning();
    if (!row) throw new Error("insert failed");
    await materialiseOccurrences(db, row.id, row, SEED_NOW);
    await db.insert(eventCategories).values({ eventId: row.id, categoryId: cat.id });
    return row.id;
  };

  const allDay = await add({
    title: { fi: `Kyläpäivä ${LONG_FI}`, sv: "Bydag i Klövskog – välkommen på ärtsoppa och öl" },
    description: { fi: LONG_FI.repeat(3), sv: "Åtta åländska ålar äter ärter." },
    allDay: true,
    startsAt: new Date("2026-10-09T21:00:00Z"),
    endsAt: new Date("2026-10-10T21:00:00Z"),
  });
  const multiDay = await add({
    title: { fi: "Syysmarkkinat, kolme päivää" },
    allDay: true,
    startsAt: new Date("2026-10-15T21:00:00Z"),
    endsAt: new Date("2026-10-18T21:00:00Z"),
  });
  const multiDayTimed = await add({
    title: { fi: "Leiri yli viikonlopun" },
    startsAt: new Date("2026-11-06T16:00:00Z"),
    endsAt: new Date("2026-11-08T12:00:00Z"),
  });
  // Tuesdays 18:00 local from 13 Oct: EEST (+3) before 25 Oct, EET (+2) after; not on
  // 20 Oct, and also on Thursday 29 Oct.
  const weekly = await add({
    title: { fi: "Kuorotreenit", sv: "Körövning" },
    startsAt: new Date("2026-10-13T15:00:00Z"),
    endsAt: new Date("2026-10-13T16:30:00Z"),
    rrule: "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261124",
    exdates: ["2026-10-20"],
    rdates: ["2026-10-29"],
    sequence: 3,
  });
  const cancelled = await add({
    title: { fi: "Peruttu konsertti", sv: "Inställd konsert", en: "Cancelled concert" },
    eventStatus: "cancelled",
    startsAt: new Date("2026-10-22T16:00:00Z"),
    endsAt: new Date("2026-10-22T18:00:00Z"),
    sequence: 2,
  });
  const injection = await add({
    title: { fi: "Ilta\r\nBEGIN:VEVENT\r\nUID:evil\r\nATTENDEE:mailto:evil@example.invalid\r\nEND:VEVENT" },
    description: {
      fi: "Rivi 1\nRivi 2; puolipiste, pilkku \\ kenoviiva\r\nATTENDEE:mailto:x@example.invalid",
    },
    startsAt: new Date("2026-10-23T16:00:00Z"),
    endsAt: new Date("2026-10-23T18:00:00Z"),
  });
  const markup = await add({
    title: { fi: `<script>alert("x")</script> & "lainaus" 'heittomerkki' ]]>` },
    shortDescription: { fi: "<b>lihavoitu</b> & muuta" },
    startsAt: new Date("2026-10-24T10:00:00Z"),
    endsAt: new Date("2026-10-24T12:00:00Z"),
    publishedAt: new Date("2026-09-30T08:00:00Z"),
  });
  return {
    allDay,
    multiDay,
    multiDayTimed,
    weekly,
    cancelled,
    injection,
    markup,
    orgSlug: org.slug,
    placeSlug: place.slug,
  };
}
