/**
 * API details the account pages rely on: accepting an invitation with a new account
 * answers with the account's email address (the invitation page then signs the person in),
 * and a used token answers 400 on the token field (the pages show "link used or expired").
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkflowWorld, tokenFrom, type World } from "./helpers/workflow.ts";

let w: World;
beforeAll(async () => {
  w = await createWorkflowWorld();
});
afterAll(async () => {
  await w.close();
});

describe("invitations/accept-new and password-reset/confirm for the account pages", () => {
  it("answers an accepted invitation with the email address, which then logs in", async () => {
    const invited = await w.as("orgAdmin")("POST", `/api/v1/organisations/${w.orgA.id}/members`, {
      email: "Sivu.Kutsuttu@Example.fi",
      role: "member",
    });
    expect(invited.status).toBe(201);
    const mail = (await w.mailsTo("sivu.kutsuttu@example.fi")).find((r) => r.kind === "invitation");
    const token = tokenFrom(String(mail?.payload.path));
    const confirm = await w.raw("POST", "/api/v1/invitations/accept-new", {
      token,
      password: "sivun-salasana-1",
      display_name: "Sivu Kutsuttu",
    });
    expect(confirm.status).toBe(200);
    expect(confirm.body).toEqual({ status: "joined", email: "sivu.kutsuttu@example.fi" });
    const login = await w.raw("POST", "/api/v1/auth/login", {
      email: confirm.body.email,
      password: "sivun-salasana-1",
    });
    expect(login.status).toBe(200);

    const again = await w.raw("POST", "/api/v1/invitations/accept-new", {
      token,
      password: "toinen-salasana-2",
      display_name: "Joku Muu",
    });
    expect(again.status).toBe(400);
    expect(again.body.errors).toEqual([{ path: "token", message: expect.any(String) }]);
    expect(JSON.stringify(again.body)).not.toContain("sivu.kutsuttu");
  });

  it("does not reveal an email address for a wrong token", async () => {
    const r = await w.raw("POST", "/api/v1/auth/password-reset/confirm", {
      token: "x".repeat(43),
      password: "jokin-salasana-3",
    });
    expect(r.status).toBe(400);
    expect(r.body.email).toBeUndefined();
  });
});
