/** The workflow state machine: every allowed and every forbidden transition. */
import { describe, expect, it } from "vitest";
import { EVENT_STATUSES, WORKFLOW_STATES } from "../src/contract/codes.ts";
import { InvalidTransition } from "../src/domain/errors.ts";
import { ACTIONS, allowedActions, transition } from "../src/domain/workflow/machine.ts";

/** The expected table, written out independently of the implementation. */
const ALLOWED: [string, string, boolean | "any", string, string, string][] = [
  // [state, event_status, hasRevision, action, → state, → event_status]
];
const statuses = EVENT_STATUSES;
for (const s of statuses) {
  for (const rev of [false, true]) {
    const pub = (action: string, status = s) =>
      ALLOWED.push(["published", s, rev, action, "published", status]);
    pub("edit");
    if (rev) {
      pub("approve_revision");
      pub("reject_revision");
      pub("request_revision_changes");
    }
    if (s !== "cancelled") pub("cancel", "cancelled");
    if (s === "scheduled" || s === "rescheduled") pub("postpone", "postponed");
    for (const [from, action, to] of [
      ["draft", "edit", "draft"],
      ["draft", "submit", "pending"],
      ["draft", "publish_trusted", "published"],
      ["draft", "delete", "draft"],
      ["pending", "edit", "pending"],
      ["pending", "withdraw", "draft"],
      ["pending", "approve", "published"],
      ["pending", "reject", "rejected"],
      ["pending", "request_changes", "draft"],
      ["pending", "delete", "pending"],
      ["rejected", "delete", "rejected"],
    ] as const) {
      ALLOWED.push([from, s, rev, action, to, s]);
    }
  }
}

describe("workflow transition table", () => {
  const cases = WORKFLOW_STATES.flatMap((state) =>
    statuses.flatMap((status) =>
      [false, true].flatMap((rev) => ACTIONS.map((action) => ({ state, status, rev, action }))),
    ),
  );

  it.each(cases)("$state/$status revision=$rev: $action", ({ state, status, rev, action }) => {
    const expected = ALLOWED.find(
      (a) => a[0] === state && a[1] === status && a[2] === rev && a[3] === action,
    );
    const at = { state, eventStatus: status, hasRevision: rev };
    if (expected) {
      expect(transition(at, action)).toEqual({ state: expected[4], eventStatus: expected[5] });
    } else {
      expect(() => transition(at, action)).toThrow(InvalidTransition);
    }
  });

  it("lists the allowed actions for buttons", () => {
    expect(allowedActions({ state: "pending", eventStatus: "scheduled", hasRevision: false })).toEqual([
      "edit",
      "withdraw",
      "approve",
      "reject",
      "request_changes",
      "delete",
    ]);
    expect(allowedActions({ state: "rejected", eventStatus: "scheduled", hasRevision: false })).toEqual([
      "delete",
    ]);
  });
});
