/** UI texts of the organiser pages (submit an event, confirm a submission, my events). */
import type { Lang } from "./i18n.ts";

const fi = {
  submitTitle: "Ilmoita tapahtuma",
  confirmTitle: "Vahvista ilmoitus",
  ownSubmissionsTitle: "Ilmoittamasi tapahtumat",
  myEventsTitle: "Omat tapahtumat",
  myEventTitle: "Tapahtuman tiedot",
};
export type OrganiserMessages = typeof fi;

const sv: OrganiserMessages = {
  submitTitle: "Anmäl ett evenemang",
  confirmTitle: "Bekräfta anmälan",
  ownSubmissionsTitle: "Dina anmälda evenemang",
  myEventsTitle: "Mina evenemang",
  myEventTitle: "Evenemangets uppgifter",
};

const en: OrganiserMessages = {
  submitTitle: "Submit an event",
  confirmTitle: "Confirm your submission",
  ownSubmissionsTitle: "Events you submitted",
  myEventsTitle: "My events",
  myEventTitle: "Event details",
};

export const ORGANISER_MESSAGES: Record<Lang, OrganiserMessages> = { fi, sv, en };
