/**
 * The event workflow as one state machine. Every command on an event asks `transition`
 * for the next state; a combination the table does not list throws InvalidTransition
 * (→ 409). Who may take an action is decided separately, in ../accounts/access.ts.
 *
 *   draft ──submit──▶ pending ──approve──▶ published
 *     ▲  ──publish (trusted)──────────────▶ │
 *     └──withdraw / request_changes── pending ──reject──▶ rejected
 *   published: edit (a pending revision), approve_revision / reject_revision /
 *   request_revision_changes, cancel, postpone (event_status only).
 */
import { WORKFLOW_ACTIONS } from "../../contract/api/organiser.ts";
import type { EventStatus, WorkflowState } from "../../contract/codes.ts";
import { InvalidTransition } from "../errors.ts";

export const ACTIONS = WORKFLOW_ACTIONS;
export type Action = (typeof ACTIONS)[number];

interface Rule {
  from: readonly WorkflowState[];
  /** The next workflow state; absent means unchanged. */
  to?: WorkflowState;
  /** event_status values the action is allowed from (default: any). */
  statusFrom?: readonly EventStatus[];
  /** The next event_status; absent means unchanged. */
  status?: EventStatus;
  /** The action needs (or must not have) a pending revision. */
  revision?: boolean;
}

/** The transition table: the only place that says which action is possible when. */
export const TRANSITIONS: Record<Action, Rule> = {
  edit: { from: ["draft", "pending", "published"] },
  submit: { from: ["draft"], to: "pending" },
  publish_trusted: { from: ["draft"], to: "published" },
  withdraw: { from: ["pending"], to: "draft" },
  approve: { from: ["pending"], to: "published" },
  reject: { from: ["pending"], to: "rejected" },
  request_changes: { from: ["pending"], to: "draft" },
  approve_revision: { from: ["published"], revision: true },
  reject_revision: { from: ["published"], revision: true },
  request_revision_changes: { from: ["published"], revision: true },
  cancel: { from: ["published"], statusFrom: ["scheduled", "postponed", "rescheduled"], status: "cancelled" },
  postpone: { from: ["published"], statusFrom: ["scheduled", "rescheduled"], status: "postponed" },
  delete: { from: ["draft", "pending", "rejected"] },
};

export interface WorkflowPosition {
  state: WorkflowState;
  eventStatus: EventStatus;
  /** Whether the event has a pending revision. */
  hasRevision: boolean;
}

/** The state after `action`, or InvalidTransition when the table does not allow it. */
export function transition(
  at: WorkflowPosition,
  action: Action,
): { state: WorkflowState; eventStatus: EventStatus } {
  const rule = TRANSITIONS[action];
  const describe = at.state === "published" && at.eventStatus !== "scheduled" ? at.eventStatus : at.state;
  if (!rule.from.includes(at.state)) throw new InvalidTransition(at.state, action);
  if (rule.statusFrom && !rule.statusFrom.includes(at.eventStatus)) {
    throw new InvalidTransition(describe, action);
  }
  if (rule.revision === true && !at.hasRevision) {
    throw new InvalidTransition(`${at.state} without a pending revision`, action);
  }
  return { state: rule.to ?? at.state, eventStatus: rule.status ?? at.eventStatus };
}

/** Whether `action` is possible now (for showing buttons). */
export function allowedActions(at: WorkflowPosition): Action[] {
  return ACTIONS.filter((a) => {
    try {
      transition(at, a);
      return true;
    } catch {
      return false;
    }
  });
}
