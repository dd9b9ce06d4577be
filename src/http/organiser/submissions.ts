/**
 * Anonymous submissions: submit with a name and an email address (202; a confirmation
 * link is emailed), confirm, ask for a magic link, and — with the link's token in the
 * X-Submitter-Token header — list, edit and cancel one's own submissions.
 */
import type { Context } from "hono";
import { EventPatch } from "../../contract/api/event-input.ts";
import { EventResult, IdParams, Version } from "../../contract/api/organiser.ts";
import {
  Accepted,
  CancelledSubmission,
  ConfirmedSubmission,
  ConfirmSubmissionBody,
  Submission,
  SubmitterAccessBody,
  SubmitterEventList,
} from "../../contract/api/submissions.ts";
import type { SubmitterActor } from "../../domain/accounts/access.ts";
import { normaliseEmail } from "../../domain/accounts/accounts.ts";
import { Unauthorized } from "../../domain/errors.ts";
import { updateEvent } from "../../domain/events/commands.ts";
import { perSite, RATE_RULES } from "../../domain/rate-limit.ts";
import {
  cancelSubmission,
  confirmSubmission,
  listSubmitterEvents,
  requestSubmitterAccess,
  submitAnonymously,
} from "../../domain/workflow/submissions.ts";
import { jsonRoutes } from "../route-kit.ts";
import type { AppEnv } from "../types.ts";

function submitter(c: Context<AppEnv>): SubmitterActor {
  const actor = c.get("actor");
  if (actor.kind !== "submitter") throw new Unauthorized("Open the link from your email (X-Submitter-Token)");
  return actor;
}

export function submissionRoutes() {
  const { app, add } = jsonRoutes("Submissions");

  add(
    "post",
    "/submissions",
    {
      operationId: "submitEventAnonymously",
      summary: "Submit an event without an account; a confirmation link is emailed",
      status: 202,
      body: Submission,
      response: Accepted,
      responseDescription: "The same answer whatever happens next (a confirmation link is emailed)",
    },
    async (c, body) => {
      const ctx = c.get("ctx");
      const now = ctx.clock.now();
      // Per site: submissions fill that municipality's moderation queue (rate-limit.ts, perSite).
      await c.get("limiter").hit(RATE_RULES.submission, perSite(ctx.tenant, c.get("clientIp")), now);
      if (body.website) {
        ctx.logger.info("honeypot submission dropped", { ip: c.get("clientIp") });
      } else {
        const recipient = normaliseEmail(body.submitter.email);
        // Regional: it protects a person's inbox, which every site of the region can mail.
        await c.get("limiter").hit(RATE_RULES.submissionPerRecipient, recipient, now);
        await submitAnonymously(ctx, body);
      }
      return c.json({ status: "check your email to confirm the submission" }, 202);
    },
  );

  add(
    "post",
    "/submissions/confirm",
    {
      operationId: "confirmSubmission",
      summary: "Confirm a submission with the emailed token; it enters the moderation queue",
      body: ConfirmSubmissionBody,
      response: ConfirmedSubmission,
      problems: [409],
    },
    async (c, body) => c.json(await confirmSubmission(c.get("ctx"), body.token), 200),
  );

  add(
    "post",
    "/submissions/access",
    {
      operationId: "requestSubmitterAccess",
      summary: "Email a link for managing one's own submissions",
      status: 202,
      body: SubmitterAccessBody,
      response: Accepted,
      responseDescription: "The same answer whether or not the address has submissions",
    },
    async (c, body) => {
      const ctx = c.get("ctx");
      // The same per-site bucket as new submissions: the link manages this site's submissions.
      const key = perSite(ctx.tenant, c.get("clientIp"));
      await c.get("limiter").hit(RATE_RULES.submission, key, ctx.clock.now());
      await requestSubmitterAccess(ctx, body.email);
      return c.json({ status: "if there are submissions from this address, a link is on its way" }, 202);
    },
  );

  add(
    "get",
    "/submissions/mine",
    {
      operationId: "listMySubmissions",
      security: ["submitterToken"],
      summary: "My submissions (X-Submitter-Token)",
      response: SubmitterEventList,
      problems: [401],
    },
    async (c) => c.json({ data: await listSubmitterEvents(c.get("ctx"), submitter(c)) }, 200),
  );

  add(
    "patch",
    "/submissions/:id",
    {
      operationId: "updateMySubmission",
      security: ["submitterToken"],
      summary: "Edit my submission (X-Submitter-Token)",
      body: EventPatch,
      params: IdParams,
      response: EventResult,
      problems: [401, 404, 409],
    },
    async (c, body, { params }) =>
      c.json(await updateEvent(c.get("ctx"), submitter(c), params.id, body), 200),
  );

  add(
    "post",
    "/submissions/:id/cancel",
    {
      operationId: "cancelMySubmission",
      security: ["submitterToken"],
      summary: "Cancel my submission (X-Submitter-Token)",
      description: "A published event is marked cancelled (residents must see it); anything else is deleted.",
      body: Version,
      params: IdParams,
      response: CancelledSubmission,
      problems: [401, 404, 409],
    },
    async (c, body, { params }) =>
      c.json(await cancelSubmission(c.get("ctx"), submitter(c), params.id, body.version), 200),
  );

  return app;
}
