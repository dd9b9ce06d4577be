/**
 * Organiser API: create and edit events, move them through the workflow, list my events
 * with their state and the moderators' comments. Works with a session or an API token.
 */
import { EventPatch } from "../../contract/api/event-input.ts";
import { CreateEventBody, MyEventsQuery, StatusChange, Version } from "../../contract/api/organiser.ts";
import {
  changeEventStatus,
  createEvent,
  deleteEvent,
  submitEvent,
  updateEvent,
  withdrawEvent,
} from "../../domain/events/commands.ts";
import { getMyEvent, listMyEvents } from "../../domain/events/my-events.ts";
import { uuidParam as id, jsonRoutes, parseQuery } from "../route-kit.ts";

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
      body: EventPatch,
    },
    async (c, body) => c.json(await updateEvent(c.get("ctx"), c.get("actor"), id(c), body), 200),
  );

  add(
    "post",
    "/events/:id/submit",
    { operationId: "submitEvent", auth: true, summary: "Submit a draft for moderation", body: Version },
    async (c, body) => c.json(await submitEvent(c.get("ctx"), c.get("actor"), id(c), body.version), 200),
  );

  add(
    "post",
    "/events/:id/withdraw",
    { operationId: "withdrawEvent", auth: true, summary: "Withdraw a pending submission", body: Version },
    async (c, body) => c.json(await withdrawEvent(c.get("ctx"), c.get("actor"), id(c), body.version), 200),
  );

  const statusChanges = {
    cancel: "Cancel a published event at once (organiser or moderator)",
    postpone: "Postpone a published event at once",
  } as const;
  for (const [action, summary] of Object.entries(statusChanges) as [keyof typeof statusChanges, string][]) {
    add(
      "post",
      `/events/:id/${action}`,
      { operationId: `${action}Event`, auth: true, summary, body: StatusChange },
      async (c, body) => {
        const ctx = c.get("ctx");
        const reason = body.reason ?? null;
        return c.json(await changeEventStatus(ctx, c.get("actor"), id(c), body.version, action, reason), 200);
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
    },
    async (c, body) => {
      await deleteEvent(c.get("ctx"), c.get("actor"), id(c), body.version);
      return c.body(null, 204);
    },
  );

  add(
    "get",
    "/me/events",
    { operationId: "listMyEvents", auth: true, summary: "My events with state and the moderators' comments" },
    async (c) => {
      const q = parseQuery(c, MyEventsQuery);
      return c.json({ data: await listMyEvents(c.get("ctx"), c.get("actor"), q) }, 200);
    },
  );

  add(
    "get",
    "/me/events/:id",
    {
      operationId: "getMyEvent",
      auth: true,
      summary: "One of my events: editable input, revision, decisions",
    },
    async (c) => c.json(await getMyEvent(c.get("ctx"), c.get("actor"), id(c)), 200),
  );

  return app;
}
