/**
 * VTIMEZONE components for the zones events are held in, copied from
 * @touch4it/ical-timezones (tzurl.org, Outlook-compatible rules). That package reads
 * its files with node:fs, which Workers cannot do, so the text is bundled here;
 * test/feeds-ical.test.ts checks that it still equals the package's output.
 */

const VTIMEZONES: Record<string, string> = {
  "Europe/Helsinki": [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Helsinki",
    "TZURL:http://tzurl.org/zoneinfo-outlook/Europe/Helsinki",
    "X-LIC-LOCATION:Europe/Helsinki",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0300",
    "TZNAME:EEST",
    "DTSTART:19700329T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0300",
    "TZOFFSETTO:+0200",
    "TZNAME:EET",
    "DTSTART:19701025T040000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
  ].join("\r\n"),
};

/** The VTIMEZONE component for a zone, or null when none is bundled (times then go out in UTC). */
export function vtimezone(timeZone: string): string | null {
  return VTIMEZONES[timeZone] ?? null;
}

export function hasVtimezone(timeZone: string): boolean {
  return timeZone in VTIMEZONES;
}
