import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessSystem, account, type Org, organization, person, user } from "../../factories.ts";
import { Client, createTestApp, type TestApp } from "../../helpers/app.ts";

/** Accounts through the API: recorded, linked, registered as service, listed, removed. */
let t: TestApp;
let org: Org;
beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t, { name: "Accounts Routes Co" });
});
afterAll(() => t.close());

describe("accounts", () => {
  it("should refuse the signed-out, and bad input naming the field", async () => {
    expect((await new Client(t.app).get("/api/v1/accounts")).status).toBe(401);
    const bad = await org.owner.client.post("/api/v1/accounts", { systemId: "x", username: "" });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain("systemId");
    expect(bad.body.detail).toContain("username");
  });

  it("should record, link and list accounts by status", async () => {
    const system = await accessSystem(org, { name: "GitHub" });
    const ada = await person(org, { name: "Ada Account" });
    const created = await org.owner.client.post("/api/v1/accounts", {
      systemId: system.id,
      username: "ada-gh",
      email: "Ada@Example.test",
      lastLoginAt: new Date(Date.now() - 86_400_000).toISOString(),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      username: "ada-gh",
      email: "ada@example.test",
      status: "unlinked",
      person: null,
      linkedAt: null,
      system: { id: system.id, name: "GitHub" },
    });
    const dup = await org.owner.client.post("/api/v1/accounts", {
      systemId: system.id,
      username: "ADA-GH",
    });
    expect(dup.status).toBe(409);
    const linked = await org.owner.client.patch(`/api/v1/accounts/${created.body.id}`, {
      personId: ada.id,
    });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ status: "linked", person: { id: ada.id } });
    expect(linked.body.linkedAt).not.toBeNull();
    const service = await account(org, { systemId: system.id, service: true, ownerId: ada.id });
    await account(org, { systemId: system.id, shared: true });
    await account(org, { systemId: system.id });
    const get = async (query: string) =>
      (await org.owner.client.get(`/api/v1/accounts?systemId=${system.id}${query}`)).body.items;
    expect(await get("")).toHaveLength(4);
    expect((await get("&status=linked")).map((a: { id: string }) => a.id)).toEqual([
      created.body.id,
    ]);
    expect((await get("&status=service")).map((a: { id: string }) => a.id)).toEqual([service.id]);
    expect(await get("&status=shared")).toHaveLength(1);
    expect(await get("&status=unlinked")).toHaveLength(1);
    expect(await get(`&personId=${ada.id}`)).toHaveLength(2);
    const page = (await org.owner.client.get(`/api/v1/accounts?systemId=${system.id}&limit=3`))
      .body;
    expect(page.items).toHaveLength(3);
    const rest = (
      await org.owner.client.get(
        `/api/v1/accounts?systemId=${system.id}&limit=3&cursor=${encodeURIComponent(page.nextCursor)}`,
      )
    ).body;
    expect(rest.items).toHaveLength(1);
  });

  it("should never share a person-account link, and need an owner for a service account", async () => {
    const system = await accessSystem(org);
    const ada = await person(org);
    const sharedLinked = await org.owner.client.post("/api/v1/accounts", {
      systemId: system.id,
      username: "team",
      personId: ada.id,
      shared: true,
    });
    expect(sharedLinked.status).toBe(400);
    expect(sharedLinked.body.detail).toContain("shared");
    const ownerless = await org.owner.client.post("/api/v1/accounts", {
      systemId: system.id,
      username: "bot",
      service: true,
    });
    expect(ownerless.status).toBe(400);
    expect(ownerless.body.detail).toContain("ownerId");
    const mine = await account(org, { systemId: system.id, personId: ada.id });
    const markShared = await org.owner.client.patch(`/api/v1/accounts/${mine.id}`, {
      shared: true,
    });
    expect(markShared.status).toBe(400);
    // A shared account registered as a service account with one owner is no longer shared.
    const team = await account(org, { systemId: system.id, shared: true });
    const registered = await org.owner.client.patch(`/api/v1/accounts/${team.id}`, {
      service: true,
      ownerId: ada.id,
    });
    expect(registered.body).toMatchObject({
      status: "service",
      shared: false,
      person: { id: ada.id },
    });
  });

  it("should remove an account (kept as history), not in the future, only once", async () => {
    const system = await accessSystem(org);
    const gone = await account(org, { systemId: system.id });
    const future = await org.owner.client.post(`/api/v1/accounts/${gone.id}/remove`, {
      removedAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(future.status).toBe(400);
    expect(future.body.detail).toContain("removedAt");
    const removed = await org.owner.client.post(`/api/v1/accounts/${gone.id}/remove`, {});
    expect(removed.status).toBe(200);
    expect(removed.body.status).toBe("removed");
    const events = (await org.owner.client.get("/api/v1/audit-events?limit=20")).body.items;
    const removal = events.find((e: { action: string }) => e.action === "account.removed");
    expect(removal.target).toMatchObject({
      name: `Account ${gone.username}`,
      path: `/systems/${system.id}`,
    });
    expect((await org.owner.client.post(`/api/v1/accounts/${gone.id}/remove`, {})).status).toBe(
      409,
    );
    const listed = await org.owner.client.get(
      `/api/v1/accounts?systemId=${system.id}&status=removed`,
    );
    expect(listed.body.items.map((a: { id: string }) => a.id)).toEqual([gone.id]);
    // The username is free again.
    await account(org, { systemId: system.id, username: gone.username });
  });

  it("should let only the system's owner (or an owner or admin) change its accounts", async () => {
    const member = await user(org, "member");
    const system = await accessSystem(org);
    const reply = await member.client.post("/api/v1/accounts", {
      systemId: system.id,
      username: "sneaky",
    });
    expect(reply.status).toBe(403);
    const auditor = await user(org, "auditor");
    expect((await auditor.client.get("/api/v1/accounts")).status).toBe(200);
  });
});
