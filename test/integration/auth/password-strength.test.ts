import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Client,
  createOrganization,
  createTestApp,
  PASSWORD,
  type TestApp,
  uniqueEmail,
} from "../../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const STRONG = "plum kettle orbit saxophone";

function expectRefused(reply: { status: number; body: unknown }, field: string, why: RegExp) {
  expect(reply.status).toBe(400);
  expect(reply.body).toMatchObject({
    code: "validation_failed",
    errors: [{ field, message: expect.stringMatching(why) }],
  });
}

describe("weak passwords", () => {
  it("should refuse twelve a's, a common password and the email at setup, then accept a strong one", async () => {
    const setup = (password: string) =>
      new Client(t.app).post("/api/v1/setup", {
        organizationName: "Initech",
        name: "Ada Lovelace",
        email: "ada@initech.test",
        password,
      });
    expectRefused(await setup("aaaaaaaaaaaa"), "password", /^repeats characters; try/);
    expectRefused(await setup("password1234"), "password", /^is too common; try/);
    expectRefused(await setup("ada@initech.test"), "password", /^contains your email address/);
    expectRefused(await setup("Initech2026!"), "password", /^contains the organization's name/);
    // Nothing was created by the refusals.
    expect((await new Client(t.app).get("/api/v1/setup")).body).toEqual({ required: true });

    expect((await setup(STRONG)).status).toBe(201);
  });

  it("should refuse a weak password when an invitation is accepted", async () => {
    const owner = await createOrganization(t, "Globex");
    const email = uniqueEmail("member");
    const invited = await owner.client.post("/api/v1/users", {
      email,
      name: "Mia Member",
      role: "member",
    });
    expect(invited.status).toBe(201);
    const token = new URL(invited.body.inviteUrl).pathname.split("/").at(-1);
    const accept = (password: string) =>
      new Client(t.app).post(`/api/v1/invitations/${token}/accept`, {
        name: "Mia Member",
        password,
      });
    expectRefused(await accept(email), "password", /^contains your email address/);
    expectRefused(await accept("password1234"), "password", /^is too common/);
    expectRefused(await accept("aaaaaaaaaaaa"), "password", /^repeats characters/);
    // The invitation is still open after the refusals.
    expect((await accept(STRONG)).status).toBe(200);
  });

  it("should refuse a weak new password on a password change and keep the old one", async () => {
    const owner = await createOrganization(t, "Umbrella");
    const change = (newPassword: string) =>
      owner.client.post("/api/v1/me/password", { currentPassword: PASSWORD, newPassword });
    expectRefused(await change("password1234"), "newPassword", /^is too common/);
    expectRefused(await change("aaaaaaaaaaaa"), "newPassword", /^repeats characters/);
    expectRefused(await change(owner.email), "newPassword", /^contains your email address/);
    expect((await new Client(t.app).login(owner.email, PASSWORD)).status).toBe(200);

    expect((await change(STRONG)).status).toBe(200);
    expect((await new Client(t.app).login(owner.email, STRONG)).status).toBe(200);
  });
});
