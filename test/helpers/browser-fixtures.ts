/** The browser tests' own events, inserted next to the demo data before the server starts. */
import { helsinkiTime, ymdKey } from "../../src/contract/format.ts";
import type { Db } from "../../src/db/client.ts";
import { addDays, localDate, localDateTime, startOfLocalDay } from "../../src/domain/time.ts";
import { pickRange } from "../../web/src/resident/filters.ts";
import { insertEvent } from "./events.ts";

const TZ = "Europe/Helsinki";
export const HOSTILE_TITLE = `</script><script>alert(1)</script>"><img src=x onerror=alert(1)>`;

export interface Fixtures {
  /** All day on this weekend's last day, category liikunta. */
  weekend: string;
  /** Its day, YYYY-MM-DD. */
  weekendDay: string;
  /** In ten days, 12:00–16:00 Helsinki, with every detail. */
  timed: string;
  timedStart: Date;
  cancelled: string;
  hostile: string;
}

export async function insertFixtures(db: Db, now: Date): Promise<Fixtures> {
  const today = localDate(now, TZ);
  const weekendDay = ymdKey(pickRange("weekend", helsinkiTime(now)).to);
  const weekend = await insertEvent(
    db,
    {
      title: { fi: "Testilenkki viikonloppuna", sv: "Testjogging i helgen", en: "Weekend test run" },
      shortDescription: { fi: "Yhteinen lenkki kirkonkylässä.", en: "A group run in the village." },
      startsAt: startOfLocalDay(weekendDay, TZ),
      endsAt: startOfLocalDay(addDays(weekendDay, 1), TZ),
      allDay: true,
      placeSlug: "paakirjasto",
      organisationSlug: "kirjasto",
      categorySlugs: ["liikunta"],
      isFree: true,
    },
    now,
  );
  const timedStart = localDateTime(addDays(today, 10), "12:00", TZ);
  const timed = await insertEvent(
    db,
    {
      title: { fi: "Kesäkonsertti testissä", sv: "Sommarkonsert i test", en: "Test summer concert" },
      shortDescription: { fi: "Puhallinorkesterin konsertti.", sv: "Blåsorkesterns konsert." },
      description: { fi: "Ohjelmassa marsseja ja elokuvamusiikkia.\n\nVäliaika 20 min." },
      startsAt: timedStart,
      endsAt: new Date(timedStart.getTime() + 4 * 3_600_000),
      placeSlug: "kulttuurisali",
      organisationSlug: "kirjasto",
      categorySlugs: ["musiikki"],
      isFree: false,
      price: { fi: "10 € / 5 €", en: "€10 / €5" },
      ticketUrl: "https://liput.example.fi/konsertti",
      ageMin: 7,
      languages: ["fi", "sv"],
      accessibility: ["induction_loop", "wheelchair_accessible"],
      image: {
        url: "https://images.example.fi/konsertti.jpg",
        alt: { fi: "Orkesteri lavalla", sv: "Orkestern på scenen" },
        licence: "CC BY 4.0",
        photographer: "Testikuvaaja",
      },
    },
    now,
  );
  const cancelledStart = localDateTime(addDays(today, 5), "18:00", TZ);
  const cancelled = await insertEvent(
    db,
    {
      title: { fi: "Peruttu testiluento", en: "Cancelled test lecture" },
      startsAt: cancelledStart,
      endsAt: new Date(cancelledStart.getTime() + 3_600_000),
      eventStatus: "cancelled",
      placeSlug: "paakirjasto",
      categorySlugs: ["luennot"],
    },
    now,
  );
  const hostileStart = localDateTime(addDays(today, 3), "17:00", TZ);
  const hostile = await insertEvent(
    db,
    {
      title: { fi: HOSTILE_TITLE },
      shortDescription: { fi: `<b>lihava</b> & "lainaus" </script>` },
      startsAt: hostileStart,
      endsAt: new Date(hostileStart.getTime() + 3_600_000),
      placeSlug: "paakirjasto",
    },
    now,
  );
  return { weekend, weekendDay, timed, timedStart, cancelled, hostile };
}
