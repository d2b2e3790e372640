import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import {
  accessKey,
  apiPerson,
  organization,
  ownerPersonId,
  sshKey,
  system,
  user,
} from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";

/**
 * The key registry through the API: SSH keys parsed on the server (fingerprints as the real
 * ssh-keygen prints them), cloud and API keys by id with secrets refused, the person and
 * systems checked, duplicates refused, dated system links, revocation, and who may do what.
 */
let t: TestApp;
let dir: string;

beforeAll(async () => {
  t = await createTestApp();
  dir = mkdtempSync(join(tmpdir(), "attest-keys-"));
});
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const day = (offset: number) => isoDay(addDays(new Date(), offset));

/** A key pair made by /usr/bin/ssh-keygen: the .pub line and `ssh-keygen -lf` of it. */
function keygen(type: string, bits?: number) {
  const file = join(dir, `${type}-${bits ?? 0}-${Math.random().toString(36).slice(2)}`);
  execFileSync("/usr/bin/ssh-keygen", [
    "-q",
    "-t",
    type,
    ...(bits ? ["-b", String(bits)] : []),
    "-N",
    "",
    "-C",
    `ada@${type}`,
    "-f",
    file,
  ]);
  const line = readFileSync(`${file}.pub`, "utf8").trim();
  const listed = execFileSync("/usr/bin/ssh-keygen", ["-lf", `${file}.pub`], { encoding: "utf8" });
  const [printedBits, fingerprint] = listed.trim().split(/\s+/);
  return { line, fingerprint: fingerprint as string, bits: Number(printedBits) };
}

describe("registering keys", () => {
  it("parses an SSH key on the server: type, bits and fingerprint as ssh-keygen prints them", async () => {
    const org = await organization(t);
    const personId = await ownerPersonId(org);
    const prod = await system(org, { production: true });
    for (const [type, bits] of [
      ["ed25519", undefined],
      ["ecdsa", 384],
      ["rsa", 2048],
    ] as const) {
      const made = keygen(type, bits);
      const reply = await org.owner.client.post("/api/v1/access-keys", {
        personId,
        kind: "ssh",
        publicKey: made.line,
        createdOn: day(-10),
        systemIds: [prod.id],
      });
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      expect(reply.body).toMatchObject({
        kind: "ssh",
        fingerprint: made.fingerprint,
        bits: made.bits,
        comment: `ada@${type}`,
        name: `ada@${type}`,
        status: "active",
        createdOn: day(-10),
        systems: [{ id: prod.id, production: true }],
        sharedWith: [],
        openTask: null,
      });
      expect(reply.body.history[0].addedAt).toBe(`${day(-10)}T00:00:00.000Z`);
    }
    const listed = await org.owner.client.get(`/api/v1/access-keys?systemId=${prod.id}`);
    expect(listed.body.items).toHaveLength(3);
  });

  it("answers 400 naming the field for a malformed key, a secret, a future date, an unknown system", async () => {
    const org = await organization(t);
    const personId = await ownerPersonId(org);
    const post = (body: Record<string, unknown>) =>
      org.owner.client.post("/api/v1/access-keys", { personId, createdOn: day(0), ...body });
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: "ssh", publicKey: "ssh-ed25519 AAAAnotakey" }, "publicKey"],
      [{ kind: "ssh", publicKey: "-----BEGIN OPENSSH PRIVATE KEY-----" }, "publicKey"],
      [{ kind: "ssh" }, "publicKey"],
      [
        { kind: "cloud", keyType: "aws", keyId: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
        "keyId",
      ],
      [
        { kind: "api", keyType: "github", keyId: "ghp_abcdefghijklmnopqrstuvwxyz0123456789" },
        "keyId",
      ],
      [{ kind: "cloud", keyType: "aws" }, "keyId"],
      [{ kind: "cloud", keyId: "AKIAIOSFODNN7EXAMPLE" }, "keyType"],
      [{ kind: "ssh", publicKey: sshKey().line, createdOn: day(2) }, "createdOn"],
      [{ kind: "ssh", publicKey: sshKey().line, systemIds: [crypto.randomUUID()] }, "systemIds"],
      [{ kind: "ssh", publicKey: sshKey().line, personId: crypto.randomUUID() }, "personId"],
    ];
    for (const [body, field] of cases) {
      const reply = await post(body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(reply.body), JSON.stringify(body)).toContain(field);
    }
    // Nothing was written.
    const listed = await org.owner.client.get("/api/v1/access-keys");
    expect(listed.body.items).toHaveLength(0);
  });

  it("refuses a departed person's key, and the same key twice for one person (409)", async () => {
    const org = await organization(t);
    const gone = await apiPerson(org, { name: "Gus Gone" });
    await org.owner.client.patch(`/api/v1/people/${gone}`, { endDate: day(-1) });
    const departed = await org.owner.client.post("/api/v1/access-keys", {
      personId: gone,
      kind: "ssh",
      publicKey: sshKey().line,
      createdOn: day(-5),
    });
    expect(departed.status).toBe(400);
    expect(departed.body.errors?.[0]?.field ?? JSON.stringify(departed.body)).toContain("personId");

    const key = sshKey("shared@box");
    const ada = await apiPerson(org, { name: "Ada Keys" });
    await accessKey(org, { personId: ada, publicKey: key.line });
    const again = await org.owner.client.post("/api/v1/access-keys", {
      personId: ada,
      kind: "ssh",
      publicKey: key.line,
      createdOn: day(0),
    });
    expect(again.status).toBe(409);

    // Another person with the same key: allowed to record, and shown as shared.
    const bob = await apiPerson(org, { name: "Bob Keys" });
    const other = await accessKey(org, { personId: bob, publicKey: key.line });
    const detail = await org.owner.client.get(`/api/v1/access-keys/${other.id}`);
    expect(detail.body.sharedWith).toEqual([
      expect.objectContaining({ person: expect.objectContaining({ id: ada, name: "Ada Keys" }) }),
    ]);
    const byFingerprint = await org.owner.client.get(
      `/api/v1/access-keys?fingerprint=${encodeURIComponent(key.fingerprint)}`,
    );
    expect(byFingerprint.body.items).toHaveLength(2);
  });

  it("keeps cloud and API keys by id", async () => {
    const org = await organization(t);
    const made = await accessKey(org, {
      kind: "cloud",
      keyType: "AWS",
      keyId: "AKIAIOSFODNN7EXAMPLE",
    });
    const detail = await org.owner.client.get(`/api/v1/access-keys/${made.id}`);
    expect(detail.body).toMatchObject({
      kind: "cloud",
      keyType: "aws",
      fingerprint: "AKIAIOSFODNN7EXAMPLE",
      publicKey: null,
      name: "aws AKIAIOSFODNN7EXAMPLE",
    });
    const gcp = await accessKey(org, {
      kind: "api",
      keyType: "gcp",
      keyId: "1234567890abcdef1234567890abcdef12345678",
    });
    const apiKeys = await org.owner.client.get("/api/v1/access-keys?kind=api");
    expect(apiKeys.body.items.map((k: { id: string }) => k.id)).toEqual([gcp.id]);
  });
});

describe("changing and revoking keys", () => {
  it("ends and starts system links, revokes with a date, and records each change", async () => {
    const org = await organization(t);
    const a = await system(org, { production: true });
    const b = await system(org);
    const key = await accessKey(org, { systemIds: [a.id], createdOn: day(-30) });
    const changed = await org.owner.client.patch(`/api/v1/access-keys/${key.id}`, {
      name: "Laptop key",
      systemIds: [b.id],
    });
    expect(changed.status).toBe(200);
    expect(changed.body.name).toBe("Laptop key");
    expect(changed.body.systems.map((s: { id: string }) => s.id)).toEqual([b.id]);
    const history = changed.body.history as { system: { id: string }; removedAt: string | null }[];
    expect(history.find((h) => h.system.id === a.id)?.removedAt).not.toBeNull();
    expect(history.find((h) => h.system.id === b.id)?.removedAt).toBeNull();

    const early = await org.owner.client.post(`/api/v1/access-keys/${key.id}/revoke`, {
      reason: "Lost laptop",
      revokedAt: `${day(-40)}T10:00:00.000Z`,
    });
    expect(early.status).toBe(400);
    expect(JSON.stringify(early.body)).toContain("revokedAt");
    const future = await org.owner.client.post(`/api/v1/access-keys/${key.id}/revoke`, {
      reason: "Lost laptop",
      revokedAt: `${day(2)}T10:00:00.000Z`,
    });
    expect(future.status).toBe(400);

    const revoked = await org.owner.client.post(`/api/v1/access-keys/${key.id}/revoke`, {
      reason: "Lost laptop",
      revokedAt: `${day(-1)}T10:00:00.000Z`,
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      status: "revoked",
      revokeReason: "Lost laptop",
      revokedAt: `${day(-1)}T10:00:00.000Z`,
      systems: [],
      mayAct: false,
    });
    expect(
      (await org.owner.client.patch(`/api/v1/access-keys/${key.id}`, { name: "x" })).status,
    ).toBe(409);
    const active = await org.owner.client.get("/api/v1/access-keys?status=active");
    expect(active.body.items).toHaveLength(0);

    const audit = await org.owner.client.get("/api/v1/audit-events?limit=50");
    const actions = (audit.body.items as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(["access_key.registered", "access_key.changed", "access_key.revoked"]),
    );
  });

  it("lets readers read and only owners and admins write", async () => {
    const org = await organization(t);
    const key = await accessKey(org);
    const editor = await user(org, "editor");
    const member = await user(org, "member");
    expect((await editor.client.get(`/api/v1/access-keys/${key.id}`)).status).toBe(200);
    expect((await member.client.get("/api/v1/access-keys")).status).toBe(403);
    const denied = await editor.client.post(`/api/v1/access-keys/${key.id}/revoke`, {
      reason: "Not mine to revoke",
    });
    expect(denied.status).toBe(403);
    const page = await editor.client.get("/api/v1/access-keys?limit=1");
    expect(page.body.items[0].mayAct).toBe(false);
  });

  it("pages the list newest first", async () => {
    const org = await organization(t);
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await accessKey(org)).id);
    const first = await org.owner.client.get("/api/v1/access-keys?limit=2");
    expect(first.body.items.map((k: { id: string }) => k.id)).toEqual([made[2], made[1]]);
    const second = await org.owner.client.get(
      `/api/v1/access-keys?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((k: { id: string }) => k.id)).toEqual([made[0]]);
    expect(second.body.nextCursor).toBeNull();
  });
});
