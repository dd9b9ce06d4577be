/**
 * Moderation API: the queue, decisions (singly and in bulk), the moderation log and
 * trusted organisations. Moderators and admins only, with their session.
 */
import {
  BulkDecisionBody,
  BulkDecisionResult,
  DecisionResult,
  LogQuery,
  ModerationLogPage,
  ModerationOrganisations,
  ModerationOrganisationsQuery,
  ModerationQueue,
  ProfileApproveBody,
  ProfileRejectBody,
  QueueQuery,
  RejectBody,
  RequestChangesBody,
  ReviewEvent,
  TrustBody,
} from "../../contract/api/moderation.ts";
import { IdParams, ManagedOrganisation, Version } from "../../contract/api/organiser.ts";
import {
  decide,
  decideMany,
  moderationLogFor,
  moderationOrganisations,
  moderationQueue,
  reviewEvent,
  setOrganisationTrust,
} from "../../domain/moderation/moderation.ts";
import { decideProfile } from "../../domain/organisations/organisations.ts";
import type { SecurityName } from "../openapi.ts";
import { jsonRoutes } from "../route-kit.ts";

export function moderationRoutes() {
  const { app, add } = jsonRoutes("Moderation");
  const session: SecurityName[] = ["cookieAuth"];

  add(
    "get",
    "/moderation/queue",
    {
      operationId: "getModerationQueue",
      auth: true,
      security: session,
      summary: "Pending submissions and revisions, oldest first, with duplicate warnings and diffs",
      description:
        "Query: kind (submission | revision), organisation (an organisation id), q (title contains), limit (1–100), offset. The counts are for the whole filtered queue.",
      query: QueueQuery,
      response: ModerationQueue,
    },
    async (c, _b, { query: q }) => {
      const result = await moderationQueue(c.get("ctx"), c.get("actor"), {
        kind: q.kind,
        organisationId: q.organisation,
        q: q.q,
        limit: q.limit,
        offset: q.offset,
      });
      return c.json(result, 200);
    },
  );

  add(
    "post",
    "/moderation/events/:id/approve",
    {
      operationId: "approveEvent",
      auth: true,
      security: session,
      summary: "Approve a submission or revision",
      body: Version,
      params: IdParams,
      response: DecisionResult,
      problems: [404, 409],
    },
    async (c, b, { params }) =>
      c.json(await decide(c.get("ctx"), c.get("actor"), params.id, b.version, "approve"), 200),
  );

  add(
    "post",
    "/moderation/events/:id/reject",
    {
      operationId: "rejectEvent",
      auth: true,
      security: session,
      summary: "Reject with a reason shown to the organiser",
      body: RejectBody,
      params: IdParams,
      response: DecisionResult,
      problems: [404, 409],
    },
    async (c, b, { params }) =>
      c.json(await decide(c.get("ctx"), c.get("actor"), params.id, b.version, "reject", b.reason), 200),
  );

  add(
    "post",
    "/moderation/events/:id/request-changes",
    {
      operationId: "requestEventChanges",
      auth: true,
      security: session,
      summary: "Return the event to the organiser with a comment",
      body: RequestChangesBody,
      params: IdParams,
      response: DecisionResult,
      problems: [404, 409],
    },
    async (c, b, { params }) => {
      const ctx = c.get("ctx");
      return c.json(
        await decide(ctx, c.get("actor"), params.id, b.version, "request_changes", b.comment),
        200,
      );
    },
  );

  add(
    "post",
    "/moderation/bulk",
    {
      operationId: "decideEventsInBulk",
      auth: true,
      security: session,
      summary: "Approve or reject several events at once (all or nothing)",
      body: BulkDecisionBody,
      response: BulkDecisionResult,
      problems: [404, 409],
    },
    async (c, b) =>
      c.json(
        { data: await decideMany(c.get("ctx"), c.get("actor"), b.items, b.action, b.reason ?? null) },
        200,
      ),
  );

  add(
    "get",
    "/moderation/events/:id",
    {
      operationId: "getModerationEvent",
      auth: true,
      security: session,
      summary: "One event for review",
      description:
        "The event as it stands, its pending revision with a field-by-field diff against the published version, the submitter's private contact details, referenced places and categories, duplicate warnings, the decisions possible now and the event's decision history.",
      params: IdParams,
      response: ReviewEvent,
      problems: [404],
    },
    async (c, _b, { params }) => c.json(await reviewEvent(c.get("ctx"), c.get("actor"), params.id), 200),
  );

  add(
    "get",
    "/moderation/log",
    {
      operationId: "getModerationLog",
      auth: true,
      security: session,
      summary: "The append-only moderation log, newest first",
      description:
        "Query: event_id (uuid), action (a logged action, e.g. approve, reject_revision, trust), limit (1–200), before (an entry id: the page after next_before).",
      query: LogQuery,
      response: ModerationLogPage,
    },
    async (c, _b, { query: q }) => {
      const page = await moderationLogFor(c.get("ctx"), c.get("actor"), {
        eventId: q.event_id,
        action: q.action,
        limit: q.limit,
        beforeId: q.before,
      });
      return c.json(page, 200);
    },
  );

  add(
    "get",
    "/moderation/organisations",
    {
      operationId: "listModerationOrganisations",
      auth: true,
      security: session,
      summary: "Organisations with member counts, event counts and the trusted flag",
      description:
        "Query: q (name contains), trusted (true | false), pending (true | false: a public profile change waits for review), limit (1–100), offset. Each organisation carries pending_profile, profile_submitted_at and profile_changes (field, before, after).",
      query: ModerationOrganisationsQuery,
      response: ModerationOrganisations,
    },
    async (c, _b, { query: q }) => {
      const result = await moderationOrganisations(c.get("ctx"), c.get("actor"), {
        q: q.q,
        trusted: q.trusted === undefined ? undefined : q.trusted === "true",
        pending: q.pending === undefined ? undefined : q.pending === "true",
        limit: q.limit,
        offset: q.offset,
      });
      return c.json(result, 200);
    },
  );

  add(
    "post",
    "/moderation/organisations/:id/trust",
    {
      operationId: "setOrganisationTrust",
      auth: true,
      security: session,
      summary: "Mark an organisation trusted (publishes without moderation) or not",
      body: TrustBody,
      params: IdParams,
      response: ManagedOrganisation,
      problems: [404],
    },
    async (c, b, { params }) =>
      c.json(await setOrganisationTrust(c.get("ctx"), c.get("actor"), params.id, b.trusted), 200),
  );

  add(
    "post",
    "/moderation/organisations/:id/profile/approve",
    {
      operationId: "approveOrganisationProfile",
      auth: true,
      security: session,
      summary: "Publish an organisation's pending profile change",
      description: "submitted_at: the profile_submitted_at the moderator looked at; a newer change is a 409.",
      body: ProfileApproveBody,
      params: IdParams,
      response: ManagedOrganisation,
      problems: [404, 409],
    },
    async (c, b, { params }) =>
      c.json(
        await decideProfile(c.get("ctx"), c.get("actor"), params.id, "approve", b.submitted_at, null),
        200,
      ),
  );

  add(
    "post",
    "/moderation/organisations/:id/profile/reject",
    {
      operationId: "rejectOrganisationProfile",
      auth: true,
      security: session,
      summary: "Drop an organisation's pending profile change, with a reason for its admins",
      body: ProfileRejectBody,
      params: IdParams,
      response: ManagedOrganisation,
      problems: [404, 409],
    },
    async (c, b, { params }) =>
      c.json(
        await decideProfile(c.get("ctx"), c.get("actor"), params.id, "reject", b.submitted_at, b.reason),
        200,
      ),
  );

  return app;
}
