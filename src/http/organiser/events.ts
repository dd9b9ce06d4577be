/**
 * Organiser API: create and edit events, move them through the workflow, list my events
 * with their state and the moderators' comments. Works with a session or an API token
 * (the list of my events: a session only).
 */
import { EventPatch } from "../../contract/api/event-input.ts";
import {
  CreateEventBody,
  EventResult,
  IdParams,
  MyEvent,
  MyEventList,
  MyEventsQuery,
  StatusChange,
  Version,
} from "../../contract/api/organiser.ts";
import {
  changeEventStatus,
  createEvent,
  deleteEvent,
  submitEvent,
  updateEvent,
  withdrawEvent,
} from "../../domain/events/commands.ts";
import { getMyEvent, listMyEvents } from "../../domain/events/my-events.ts";
import { jsonRoutes } from "../route-kit.ts";

export function organiserRoutes() {
  const { app, add } = jsonRoutes("Organisers");

  add(
    "post",
    "/events",
    {
      operationId: "createEvent",
      auth: true,
      summary: "Create a draft event",
      status: 201,
      body: CreateEventBody,
      response: EventResult,
      responseDescription: "The new draft, with warnings of likely duplicates",
    },
    async (c, body) => {
      const { organisation_id, ...input } = body;
      const result = await createEvent(c.get("ctx"), c.get("actor"), organisation_id ?? null, input);
      return c.json(result, 201);
    },
  );

  add(
    "patch",
    "/events/:id",
    {
      operationId: "updateEvent",
      auth: true,
      summary: "Edit an event (send the version you read)",
      description:
        "A draft or pending event changes in place; an edit of a published event becomes a pending revision (the live version stays until a moderator approves it), unless the organisation is trusted.",
      body: EventPatch,
      response: EventResult,
      params: IdParams,
      problems: [404, 409],
    },
    async (c, body, { params }) =>
      c.json(await updateEvent(c.get("ctx"), c.get("actor"), params.id, body), 200),
  );

  add(
    "post",
    "/events/:id/submit",
    {
      operationId: "submitEvent",
      auth: true,
      summary: "Submit a draft for moderation",
      body: Version,
      response: EventResult,
      params: IdParams,
      problems: [404, 409],
    },
    async (c, body, { params }) =>
      c.json(await submitEvent(c.get("ctx"), c.get("actor"), params.id, body.version), 200),
  );

  add(
    "post",
    "/events/:id/withdraw",
    {
      operationId: "withdrawEvent",
      auth: true,
      summary: "Withdraw a pending submission",
      body: Version,
      response: EventResult,
      params: IdParams,
      problems: [404, 409],
    },
    async (c, body, { params }) =>
      c.json(await withdrawEvent(c.get("ctx"), c.get("actor"), params.id, body.version), 200),
  );

  const statusChanges = {
    cancel: "Cancel a published event at once (organiser or moderator)",
    postpone: "Postpone a published event at once",
  } as const;
  for (const [action, summary] of Object.entries(statusChanges) as [keyof typeof statusChanges, string][]) {
    add(
      "post",
      `/events/:id/${action}`,
      {
        operationId: `${action}Event`,
        auth: true,
        summary,
        body: StatusChange,
        response: EventResult,
        params: IdParams,
        problems: [404, 409],
      },
      async (c, body, { params }) => {
        const ctx = c.get("ctx");
        const reason = body.reason ?? null;
        return c.json(
          await changeEventStatus(ctx, c.get("actor"), params.id, body.version, action, reason),
          200,
        );
      },
    );
  }

  add(
    "delete",
    "/events/:id",
    {
      operationId: "deleteEvent",
      auth: true,
      summary: "Delete a draft, pending or rejected event",
      status: 204,
      body: Version,
      params: IdParams,
      problems: [404, 409],
    },
    async (c, body, { params }) => {
      await deleteEvent(c.get("ctx"), c.get("actor"), params.id, body.version);
      return c.body(null, 204);
    },
  );

  add(
    "get",
    "/me/events",
    {
      operationId: "listMyEvents",
      auth: true,
      security: ["cookieAuth"],
      summary: "My events with state and the moderators' comments",
      query: MyEventsQuery,
      response: MyEventList,
    },
    async (c, _body, { query }) =>
      c.json({ data: await listMyEvents(c.get("ctx"), c.get("actor"), query) }, 200),
  );

  add(
    "get",
    "/me/events/:id",
    {
      operationId: "getMyEvent",
      auth: true,
      summary: "One of my events: editable input, revision, decisions",
      response: MyEvent,
      params: IdParams,
      problems: [404],
    },
    async (c, _body, { params }) => c.json(await getMyEvent(c.get("ctx"), c.get("actor"), params.id), 200),
  );

  return app;
}
