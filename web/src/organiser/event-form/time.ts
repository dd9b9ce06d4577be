/**
 * The time section: all day or not, start and end date and time in Helsinki, and the repeat
 * (none, weekly on chosen weekdays until a date with excepted dates, or a custom rule kept as
 * it came). Wall times become instants through src/contract/time.ts, as on the server.
 */
import { allDayRange, instantToLocal, localToInstant } from "../../../../src/contract/time.ts";
import { h } from "../../lib/dom.ts";
import { TIME_ZONE } from "../../lib/format.ts";
import { type EventInput, type FormKit, isDate, isTime, type Section } from "./kit.ts";

const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

/**
 * Helsinki wall-clock date + time → UTC ISO instant, as the API reads it (src/contract/time.ts:
 * a time in the spring-forward gap moves forward by the gap, 03:30 → 04:30+03:00).
 */
export function helsinkiInstant(date: string, time: string): string {
  return localToInstant(date, time, TIME_ZONE).toISOString().replace(".000Z", "Z");
}

/** An ISO instant or offset date-time as its Helsinki date and time. */
function splitIso(value: string): { date: string; time: string } {
  if (value.length === 10) return { date: value, time: "" };
  return instantToLocal(new Date(value), TIME_ZONE);
}

/** "FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=…" as weekdays and a Helsinki until date; null if not of that shape. */
export function parseWeekly(rrule: string): { days: string[]; until: string } | null {
  const parts = new Map(
    rrule
      .replace(/^RRULE:/i, "")
      .split(";")
      .filter(Boolean)
      .map((p) => p.split("=", 2) as [string, string]),
  );
  const keys = [...parts.keys()].sort().join(",");
  if (parts.get("FREQ") !== "WEEKLY" || keys !== "BYDAY,FREQ,UNTIL") return null;
  const days = (parts.get("BYDAY") ?? "").split(",");
  if (!days.every((d) => (WEEKDAYS as readonly string[]).includes(d))) return null;
  const u = parts.get("UNTIL") ?? "";
  const m = /^(\d{4})(\d{2})(\d{2})(T(\d{2})(\d{2})(\d{2})Z)?$/.exec(u);
  if (!m) return null;
  const until = m[4]
    ? splitIso(`${m[1]}-${m[2]}-${m[3]}T${m[5]}:${m[6]}:${m[7]}Z`).date
    : `${m[1]}-${m[2]}-${m[3]}`;
  return { days, until };
}

export type RepeatMode = "none" | "weekly" | "custom";

export interface TimeSection extends Section<Pick<EventInput, "start" | "end" | "rrule" | "exdates">> {
  repeatMode(): RepeatMode;
}

export function timeSection(k: FormKit): TimeSection {
  const { p, t, init } = k;
  const start = init ? splitIso(init.start) : { date: "", time: "" };
  const end = init ? splitIso(init.end) : { date: "", time: "" };
  const allDay = h("input", { type: "checkbox", id: `${p}-allday`, name: "all_day" });
  allDay.checked = Boolean(init && init.start.length === 10);
  const startDate = k.input("start-date", "start", "date", { value: start.date });
  const startTime = k.input("start-time", "start_time", "time", { value: start.time });
  const endDate = k.input("end-date", "end", "date", { value: end.date });
  const endTime = k.input("end-time", "end_time", "time", { value: end.time });
  startDate.value = start.date;
  startTime.value = start.time;
  endDate.value = end.date;
  endTime.value = end.time;
  const startTimeField = k.field(startTime, t.startTimeLabel, t.timeHint, {
    required: true,
    cls: "field--narrow",
  });
  const endTimeField = k.field(endTime, t.endTimeLabel, undefined, { required: true, cls: "field--narrow" });
  const syncAllDay = () => {
    startTimeField.hidden = allDay.checked;
    endTimeField.hidden = allDay.checked;
  };
  allDay.addEventListener("change", syncAllDay);
  syncAllDay();
  // A convenience: the end date follows the start date until it is set by hand.
  let endTouched = Boolean(init);
  endDate.addEventListener("input", () => (endTouched = true));
  startDate.addEventListener("change", () => {
    if (!endTouched || endDate.value === "") endDate.value = startDate.value;
  });

  // repeat
  const weekly = init?.rrule ? parseWeekly(init.rrule) : null;
  const custom = init?.rrule && !weekly ? init.rrule : null;
  const repeatRadio = (value: string, label: string, checked: boolean) => {
    const r = h("input", { type: "radio", name: `${p}-repeat`, id: `${p}-repeat-${value}`, value });
    r.checked = checked;
    return h("div", { class: "check" }, r, h("label", { for: r.id }, label));
  };
  const dayBoxes = WEEKDAYS.map((code, i) =>
    k.check(`day-${code}`, "byday", code, t.weekdayNames[i] ?? code, weekly?.days.includes(code) ?? false),
  );
  dayBoxes[0]!.querySelector("input")!.dataset.field = "byday";
  const until = k.input("until", "rrule", "date", { value: weekly?.until ?? "" });
  until.value = weekly?.until ?? "";
  const exdates = new Set<string>(init?.exdates ?? []);
  const exInput = k.input("except", "exdates", "date");
  const exList = h("ul", { class: "plain-list except-list" });
  const renderEx = () => {
    exList.replaceChildren(
      ...(exdates.size === 0
        ? [h("li", { class: "hint" }, t.noExcepts)]
        : [...exdates].sort().map((d) => {
            const shown = d.split("-").reverse().join(".");
            const remove = h(
              "button",
              {
                type: "button",
                class: "button button--small button--secondary",
                "aria-label": t.removeExcept(shown),
              },
              "✕",
            );
            remove.addEventListener("click", () => {
              exdates.delete(d);
              renderEx();
              exInput.focus();
            });
            return h("li", {}, h("span", {}, shown), " ", remove);
          })),
    );
  };
  renderEx();
  const addEx = h("button", { type: "button", class: "button button--secondary" }, t.addExcept);
  addEx.addEventListener("click", () => {
    if (isDate(exInput.value)) {
      exdates.add(exInput.value);
      exInput.value = "";
      renderEx();
    }
    exInput.focus();
  });
  const weeklyBox = h(
    "div",
    { class: "repeat-weekly", id: `${p}-weekly` },
    h(
      "fieldset",
      {},
      h("legend", {}, t.weekdaysLegend, h("span", { class: "req" }, ` (${t.required})`)),
      h("div", { class: "checks checks--days" }, ...dayBoxes),
    ),
    h("div", { class: "form-row" }, k.field(until, t.untilLabel, t.dateHint, { required: true })),
    h(
      "fieldset",
      {},
      h("legend", {}, t.exceptLegend),
      h("div", { class: "form-row form-row--end" }, k.field(exInput, t.exceptDateLabel), addEx),
      exList,
    ),
  );
  const repeatFs = h(
    "fieldset",
    { class: "repeat" },
    h("legend", {}, t.repeatLegend),
    repeatRadio("none", t.repeatNone, !init?.rrule),
    repeatRadio("weekly", t.repeatWeekly, Boolean(weekly)),
    custom ? repeatRadio("custom", t.repeatCustom(custom), true) : null,
    weeklyBox,
  );
  const repeatMode = () =>
    (repeatFs.querySelector<HTMLInputElement>(`input[name="${p}-repeat"]:checked`)?.value ??
      "none") as RepeatMode;
  const syncRepeat = () => {
    weeklyBox.hidden = repeatMode() !== "weekly";
  };
  repeatFs.addEventListener("change", syncRepeat);
  syncRepeat();

  const element = k.section(
    "time",
    t.timeSection,
    h("div", { class: "field field--check" }, allDay, h("label", { for: allDay.id }, t.allDayLabel)),
    h(
      "div",
      { class: "form-row" },
      k.field(startDate, t.startDateLabel, t.dateHint, { required: true }),
      startTimeField,
    ),
    h(
      "div",
      { class: "form-row" },
      k.field(endDate, t.endDateLabel, undefined, { required: true }),
      endTimeField,
    ),
    repeatFs,
  );

  return {
    element,
    repeatMode,
    collect(errors) {
      const err = (path: string, message: string) => errors.push({ path, message });
      const whole = allDay.checked;
      if (!isDate(startDate.value)) err("start", t.errDate);
      if (!whole && !isTime(startTime.value)) err("start_time", t.errTime);
      if (!isDate(endDate.value)) err("end", t.errDate);
      if (!whole && !isTime(endTime.value)) err("end_time", t.errTime);
      let startValue = "";
      let endValue = "";
      if (isDate(startDate.value) && isDate(endDate.value)) {
        if (whole) {
          startValue = startDate.value;
          endValue = endDate.value;
          if (endValue < startValue) err("end", t.errEndBeforeStart);
        } else if (isTime(startTime.value) && isTime(endTime.value)) {
          startValue = helsinkiInstant(startDate.value, startTime.value);
          endValue = helsinkiInstant(endDate.value, endTime.value);
          if (Date.parse(endValue) < Date.parse(startValue)) err("end", t.errEndBeforeStart);
        }
      }
      let rrule: string | null = null;
      const mode = repeatMode();
      if (mode === "weekly") {
        const days = k.checked(repeatFs, "byday");
        if (days.length === 0) err("byday", t.errWeekdays);
        if (!isDate(until.value) || (isDate(startDate.value) && until.value < startDate.value))
          err("rrule", t.errUntil);
        else if (days.length > 0) {
          // Until the end of that day in Helsinki, as UTC (RFC 5545 with a zoned DTSTART): the
          // last second before the next day begins, as the server reads a date-only UNTIL.
          const u = new Date(allDayRange(until.value, until.value, TIME_ZONE).endsAt.getTime() - 1000);
          const s = u.toISOString();
          const stamp = `${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)}T${s.slice(11, 13)}${s.slice(14, 16)}${s.slice(17, 19)}Z`;
          rrule = `FREQ=WEEKLY;BYDAY=${days.join(",")};UNTIL=${stamp}`;
        }
      } else if (mode === "custom") {
        rrule = custom;
      }
      return {
        start: startValue,
        end: endValue,
        rrule,
        exdates: mode === "weekly" ? [...exdates].sort() : [],
      };
    },
  };
}
