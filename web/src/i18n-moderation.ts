/** UI texts of the moderation pages (queue, review, log, organisations). */
import type { Lang } from "./i18n.ts";

const fi = {
  queueTitle: "Moderointijono",
  reviewTitle: "Tarkista tapahtuma",
  logTitle: "Moderointiloki",
  organisationsTitle: "Organisaatiot",
};
export type ModerationMessages = typeof fi;

const sv: ModerationMessages = {
  queueTitle: "Modereringskö",
  reviewTitle: "Granska evenemanget",
  logTitle: "Modereringslogg",
  organisationsTitle: "Organisationer",
};

const en: ModerationMessages = {
  queueTitle: "Moderation queue",
  reviewTitle: "Review the event",
  logTitle: "Moderation log",
  organisationsTitle: "Organisations",
};

export const MODERATION_MESSAGES: Record<Lang, ModerationMessages> = { fi, sv, en };
