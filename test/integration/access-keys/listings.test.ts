import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { parsePublicKey } from "../../../src/platform/authorized-keys.ts";
import {
  accessSystem,
  apiToken,
  grant,
  hostListing,
  listedPerson,
  type Org,
  organization,
  sshPublicKey,
  system,
  user,
} from "../../factories.ts";
import { Client, createTestApp, type TestApp } from "../../helpers/app.ts";

/** Host listings through the API: uploaded as JSON or text, parsed server-side, read back. */
let t: TestApp;
let org: Org;
beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t, { name: "Listings Co" });
});
afterAll(() => t.close());

/** Registers an SSH key to a person in the key registry (SQL: the registry's routes are another helper's). */
async function registerKey(personId: string, line: string, systemIds: string[] = []) {
  const parsed = parsePublicKey(line);
  if (!parsed.ok) throw new Error(parsed.message);
  await withTenant(t.deps.db, org.id, async (tx) => {
    const key = await tx
      .insertInto("access_keys")
      .values({
        organization_id: org.id,
        person_id: personId,
        kind: "ssh",
        name: parsed.key.comment ?? "key",
        key_type: parsed.key.keyType,
        fingerprint: parsed.key.fingerprint,
        public_key: parsed.key.publicKey,
        bits: parsed.key.bits,
        comment: parsed.key.comment,
        created_on: "2026-01-01",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const systemId of systemIds) {
      await tx
        .insertInto("access_key_systems")
        .values({ organization_id: org.id, key_id: key.id, system_id: systemId })
        .execute();
    }
  });
}

async function listingCount() {
  return withTenant(t.deps.db, org.id, async (tx) =>
    Number(
      (
        await tx
          .selectFrom("host_key_listings")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  );
}

describe("host listings", () => {
  it("should parse the files, store the listing and say whom each key is registered to", async () => {
    const prod = await accessSystem(org, { name: "Payments API", production: true });
    const granted = await listedPerson(org, { name: "Grace Granted" });
    const ungranted = await listedPerson(org, { name: "Uma Ungranted" });
    const departed = await listedPerson(org, { name: "Dora Departed", endDate: "2026-02-01" });
    const sharer = await listedPerson(org, { name: "Sam Shares" });
    await grant(org, { personId: granted.id, systemId: prod.id });
    const graceKey = sshPublicKey("grace@laptop");
    const umaKey = sshPublicKey("uma@desk");
    const doraKey = sshPublicKey("dora@old");
    const sharedKey = sshPublicKey("team key");
    const unknownKey = sshPublicKey("who@knows");
    await registerKey(granted.id, graceKey, [prod.id]);
    await registerKey(ungranted.id, umaKey);
    await registerKey(departed.id, doraKey);
    await registerKey(granted.id, sharedKey);
    await registerKey(sharer.id, sharedKey);

    const reply = await org.owner.client.post("/api/v1/key-listings", {
      system: "payments api",
      host: "pay-1.prod",
      files: [
        {
          name: "/home/deploy/.ssh/authorized_keys",
          content: `# deploy\n\n${graceKey}\nfrom="10.0.0.0/8",no-pty ${umaKey}\nnot a key\n`,
        },
        {
          name: "/root/.ssh/authorized_keys",
          content: `${doraKey}\r\n${sharedKey}\r\n${unknownKey}\r\nssh-ed25519 AAAA\r\n`,
        },
      ],
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      system: { id: prod.id, name: "Payments API" },
      host: "pay-1.prod",
      source: "api",
      files: ["/home/deploy/.ssh/authorized_keys", "/root/.ssh/authorized_keys"],
      keys: 5,
      unknown: 1,
      departed: 1,
      shared: 1,
      withoutGrant: 2,
      collectedBy: { id: org.owner.id },
      problems: [
        {
          file: "/home/deploy/.ssh/authorized_keys",
          line: 5,
          message: '"not" is neither a key type nor an option',
        },
        {
          file: "/root/.ssh/authorized_keys",
          line: 4,
          message: "invalid ssh-ed25519 key: the key data ends before its key type",
        },
      ],
    });
    expect(reply.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const entries = reply.body.entries;
    expect(entries.map((e: { line: number }) => e.line)).toEqual([3, 4, 1, 2, 3]);
    expect(entries[0]).toMatchObject({
      file: "/home/deploy/.ssh/authorized_keys",
      keyType: "ssh-ed25519",
      bits: 256,
      comment: "grace@laptop",
      options: null,
      fingerprint: (parsePublicKey(graceKey) as { ok: true; key: { fingerprint: string } }).key
        .fingerprint,
      registeredTo: [
        {
          person: { id: granted.id, name: "Grace Granted", active: true },
          opensSystem: true,
          hasGrant: true,
        },
      ],
    });
    expect(entries[1]).toMatchObject({
      options: 'from="10.0.0.0/8",no-pty',
      registeredTo: [{ person: { id: ungranted.id }, opensSystem: false, hasGrant: false }],
    });
    expect(entries[2].registeredTo).toMatchObject([{ person: { id: departed.id, active: false } }]);
    expect(entries[3].registeredTo.map((r: { person: { name: string } }) => r.person.name)).toEqual(
      ["Grace Granted", "Sam Shares"],
    );
    expect(entries[4]).toMatchObject({ comment: "who@knows", registeredTo: [] });

    const detail = await org.owner.client.get(`/api/v1/key-listings/${reply.body.id}?limit=2`);
    expect(detail.status).toBe(200);
    expect(detail.body.entries.items.map((e: { line: number }) => e.line)).toEqual([3, 4]);
    const rest = await org.owner.client.get(
      `/api/v1/key-listings/${reply.body.id}?limit=2&cursor=${detail.body.entries.nextCursor}`,
    );
    expect(rest.body.entries.items.map((e: { line: number }) => e.line)).toEqual([1, 2]);
    const last = await org.owner.client.get(
      `/api/v1/key-listings/${reply.body.id}?limit=2&cursor=${rest.body.entries.nextCursor}`,
    );
    expect(last.body.entries).toMatchObject({ items: [{ line: 3 }], nextCursor: null });

    const events = (await org.owner.client.get("/api/v1/audit-events?limit=20")).body.items;
    const collected = events.find(
      (e: { action: string }) => e.action === "host_key_listing.collected",
    );
    expect(collected.target).toMatchObject({
      id: reply.body.id,
      path: `/key-listings/${reply.body.id}`,
    });
    expect(collected.summary).toContain("pay-1.prod (Payments API): 5 keys, 2 malformed lines");
  });

  it("should take one file's text as the body, with the rest in the query", async () => {
    const target = await accessSystem(org, { name: "Bastion" });
    const key = sshPublicKey("ops@bastion");
    const reply = await org.owner.client.request(
      "POST",
      "/api/v1/key-listings?system=Bastion&host=bastion-1&file=/home/ops/.ssh/authorized_keys",
      `restrict ${key}\nbroken line\n`,
      { "content-type": "text/plain" },
    );
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      system: { id: target.id },
      host: "bastion-1",
      files: ["/home/ops/.ssh/authorized_keys"],
      keys: 1,
      unknown: 1,
      problems: [{ file: "/home/ops/.ssh/authorized_keys", line: 2 }],
    });
    const noHost = await org.owner.client.request(
      "POST",
      "/api/v1/key-listings?system=Bastion",
      key,
      { "content-type": "text/plain" },
    );
    expect(noHost.status).toBe(400);
    expect(noHost.body.errors).toEqual([{ field: "host", message: expect.any(String) }]);
    const binary = await org.owner.client.request(
      "POST",
      "/api/v1/key-listings?system=Bastion&host=b",
      Buffer.from([0x73, 0x73, 0x68, 0xff, 0xfe]),
      { "content-type": "text/plain" },
    );
    expect(binary.status).toBe(400);
    expect(binary.body.detail).toContain("body");
  });

  it("should refuse bad input naming the field, writing nothing", async () => {
    const archived = await system(org, { name: "Old Box", archived: true });
    const before = await listingCount();
    const content = `${sshPublicKey()}\n`;
    const files = [{ name: "authorized_keys", content }];
    const cases: [object, string][] = [
      [{ system: "No Such System", host: "h", files }, "system"],
      [{ systemId: randomUUID(), host: "h", files }, "systemId"],
      [{ host: "h", files }, "system"],
      [{ system: "Old Box", host: "h", files }, "system"],
      [{ systemId: archived.id, system: "Old Box", host: "h", files }, "system"],
      [{ system: "Bastion", host: "has space", files }, "host"],
      [{ system: "Bastion", host: "h", files: [] }, "files"],
      [{ system: "Bastion", host: "h", files: [{ name: "", content }] }, "files.0.name"],
      [
        {
          system: "Bastion",
          host: "h",
          files,
          collectedAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
        "collectedAt",
      ],
    ];
    for (const [payload, field] of cases) {
      const reply = await org.owner.client.post("/api/v1/key-listings", payload);
      expect(reply.status, JSON.stringify(payload)).toBe(400);
      expect(reply.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await listingCount()).toBe(before);
  });

  it("should let owners and admins upload (also with an API token), and readers read", async () => {
    const editor = await user(org, "editor");
    const auditor = await user(org, "auditor");
    const admin = await user(org, "admin");
    const payload = { system: "Bastion", host: "h-roles", files: [{ name: "k", content: "" }] };
    expect((await editor.client.post("/api/v1/key-listings", payload)).status).toBe(403);
    expect((await new Client(t.app).post("/api/v1/key-listings", payload)).status).toBe(401);
    const { token } = await apiToken(admin);
    const bearer = new Client(t.app);
    bearer.bearer = token;
    const created = await bearer.post("/api/v1/key-listings", payload);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ keys: 0, problems: [], collectedBy: { id: admin.id } });
    expect((await auditor.client.get(`/api/v1/key-listings/${created.body.id}`)).status).toBe(200);
    expect((await editor.client.get("/api/v1/key-listings?host=h-roles")).body.items).toHaveLength(
      1,
    );
  });

  it("should list newest collection first, by system and host, marking each host's latest", async () => {
    const web = await accessSystem(org, { name: "Web Fleet", production: true });
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    const old = await hostListing(org, { systemId: web.id, host: "web-1", collectedAt: day(10) });
    const other = await hostListing(org, { systemId: web.id, host: "web-2", collectedAt: day(5) });
    const recent = await hostListing(org, { systemId: web.id, host: "web-1", collectedAt: day(1) });
    const list = await org.owner.client.get(`/api/v1/key-listings?systemId=${web.id}&limit=2`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((l: { id: string }) => l.id)).toEqual([recent.id, other.id]);
    expect(list.body.items[0]).toMatchObject({
      latest: true,
      keys: 1,
      unknown: 1,
      problemCount: 0,
    });
    const next = await org.owner.client.get(
      `/api/v1/key-listings?systemId=${web.id}&limit=2&cursor=${list.body.nextCursor}`,
    );
    expect(next.body).toMatchObject({ items: [{ id: old.id, latest: false }], nextCursor: null });
    const byHost = await org.owner.client.get(`/api/v1/key-listings?systemId=${web.id}&host=web-2`);
    expect(byHost.body.items.map((l: { id: string }) => l.id)).toEqual([other.id]);
    expect((await org.owner.client.get(`/api/v1/key-listings/${randomUUID()}`)).status).toBe(404);
  });

  it("should take a listing of 10,000 keys in one request, quickly", async () => {
    const fleet = await accessSystem(org, { name: "Big Fleet", production: true });
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const blob = Buffer.concat([
        Buffer.from([0, 0, 0, 11]),
        Buffer.from("ssh-ed25519"),
        Buffer.from([0, 0, 0, 32]),
        randomBytes(32),
      ]);
      lines.push(`ssh-ed25519 ${blob.toString("base64")} key-${i}`);
    }
    const started = Date.now();
    const reply = await org.owner.client.post("/api/v1/key-listings", {
      systemId: fleet.id,
      host: "big-1",
      files: [{ name: "authorized_keys", content: lines.join("\n") }],
    });
    const took = Date.now() - started;
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ keys: 10_000, unknown: 10_000 });
    expect(reply.body.entries).toHaveLength(10_000);
    expect(reply.body.entries[9_999]).toMatchObject({ line: 10_000, comment: "key-9999" });
    expect(took).toBeLessThan(20_000);
  });
});
