/**
 * Calendar subscription links for a feed query: https and webcal addresses of
 * /feeds/events.ics, and one-click links for Google Calendar, Apple (webcal:) and
 * Outlook.com. The same result as the API's /api/v1/feeds/links, built client-side.
 */

export interface FeedLinks {
  https: string;
  webcal: string;
  google: string;
  apple: string;
  outlook: string;
}

export function feedLinks(origin: string, query: URLSearchParams, name: string): FeedLinks {
  const qs = query.toString();
  const https = `${origin}/feeds/events.ics${qs ? `?${qs}` : ""}`;
  const webcal = https.replace(/^https?:/, "webcal:");
  return {
    https,
    webcal,
    google: `https://calendar.google.com/calendar/r?cid=${encodeURIComponent(webcal)}`,
    apple: webcal,
    outlook: `https://outlook.live.com/calendar/0/addfromweb?url=${encodeURIComponent(https)}&name=${encodeURIComponent(name)}`,
  };
}

/** Google Calendar and Outlook.com "add this one event" links (template links, no account needed). */
export function singleEventLinks(ev: {
  title: string;
  start: string;
  end: string | null;
  all_day: boolean;
  location: string;
  details: string;
}): { google: string; outlook: string } {
  const compact = (iso: string) => new Date(iso).toISOString().replace(/[-:]|\.\d{3}/g, "");
  const dayCompact = (d: string) => d.replaceAll("-", "");
  const nextDay = (d: string) => {
    const x = new Date(`${d}T00:00:00Z`);
    x.setUTCDate(x.getUTCDate() + 1);
    return x.toISOString().slice(0, 10);
  };
  const end = ev.end ?? ev.start;
  const dates = ev.all_day
    ? `${dayCompact(ev.start)}/${dayCompact(nextDay(end))}`
    : `${compact(ev.start)}/${compact(end)}`;
  const google = new URLSearchParams({
    action: "TEMPLATE",
    text: ev.title,
    dates,
    location: ev.location,
    details: ev.details,
  });
  const outlook = new URLSearchParams({
    path: "/calendar/action/compose",
    rru: "addevent",
    subject: ev.title,
    startdt: ev.all_day ? ev.start : new Date(ev.start).toISOString(),
    enddt: ev.all_day ? nextDay(end) : new Date(end).toISOString(),
    location: ev.location,
    body: ev.details,
    ...(ev.all_day ? { allday: "true" } : {}),
  });
  return {
    google: `https://calendar.google.com/calendar/render?${google}`,
    outlook: `https://outlook.live.com/calendar/0/deeplink/compose?${outlook}`,
  };
}
