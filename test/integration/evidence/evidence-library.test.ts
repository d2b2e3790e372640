import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoEvidence } from "../../../src/modules/evidence/evidence.demo.ts";
import { COUNT_LIMIT } from "../../../src/modules/evidence/evidence.queries.ts";
import {
  addPerson,
  Client,
  createOrganization,
  createTestApp,
  type Person,
  type TestApp,
} from "../../helpers/app.ts";
import { addLink, dayFromToday, type EvidenceFields, uploadText } from "../../helpers/evidence.ts";

// The evidence library: GET /api/v1/evidence across the organization, filtered and searched.
const ENCRYPTION = "encryption-at-rest";
const ENCRYPTION_TEST = "datastores-encrypted";
const INVENTORY = "asset-inventory";

let t: TestApp;
let owner: Person;
let editor: Person;
let member: Person;
let auditor: Person;
const ids: Record<string, string> = {};

interface Item {
  id: string;
  title: string;
  validity: string;
  [key: string]: unknown;
}

async function list(client: Client, query = ""): Promise<{ items: Item[]; total: number }> {
  const reply = await client.get(`/api/v1/evidence?limit=200${query ? `&${query}` : ""}`);
  expect({ query, status: reply.status }).toEqual({ query, status: 200 });
  return reply.body;
}

async function titles(query: string, client = owner.client): Promise<string[]> {
  return (await list(client, query)).items.map((item) => item.title).sort();
}

const link = (title: string, fields: Partial<EvidenceFields> & { url?: string } = {}) =>
  addLink(editor.client, {
    controlKey: ENCRYPTION,
    title,
    evidenceDate: dayFromToday(-10),
    url: "https://example.com/evidence",
    ...fields,
  });

beforeAll(async () => {
  t = await createTestApp();
  owner = await createOrganization(t, "Library Co");
  editor = await addPerson(t, owner, "editor", "Edna Editor");
  member = await addPerson(t, owner, "member");
  auditor = await addPerson(t, owner, "auditor");

  // Validity boundaries: the last valid day, explicit or 365 days after the evidence date.
  ids.expiredYesterday = (
    await link("ends yesterday", { evidenceDate: dayFromToday(-40), validUntil: dayFromToday(-1) })
  ).id;
  ids.endsToday = (
    await link("ends today", { evidenceDate: dayFromToday(-40), validUntil: dayFromToday(0) })
  ).id;
  ids.endsIn30 = (await link("ends in 30 days", { validUntil: dayFromToday(30) })).id;
  ids.endsIn31 = (await link("ends in 31 days", { validUntil: dayFromToday(31) })).id;
  ids.defaultExpiring = (await link("dated 335 days ago", { evidenceDate: dayFromToday(-335) })).id;
  ids.defaultValid = (await link("dated 334 days ago", { evidenceDate: dayFromToday(-334) })).id;
  ids.defaultExpired = (await link("dated 366 days ago", { evidenceDate: dayFromToday(-366) })).id;

  // Search and kinds.
  ids.percent = (
    await link("100% disk coverage", {
      controlKey: INVENTORY,
      url: "https://wiki.example.com/Inventory_Export",
    })
  ).id;
  ids.percentLookalike = (await link("1000 disks covered", { controlKey: INVENTORY })).id;
  ids.underscore = (
    await link("snake_case report", {
      controlKey: INVENTORY,
      description: "Quarterly KMS rotation",
    })
  ).id;
  const file = await uploadText(
    owner.client,
    {
      controlKey: ENCRYPTION,
      testKey: ENCRYPTION_TEST,
      title: "Volume settings",
      evidenceDate: dayFromToday(-2),
    },
    "RDS-Encryption.txt",
  );
  expect(file.status).toBe(201);
  ids.file = file.body.id;

  // Deleted evidence never shows.
  const deleted = await link("deleted disk coverage");
  expect((await editor.client.delete(`/api/v1/evidence/${deleted.id}`)).status).toBe(204);
});
afterAll(() => t.close());

describe("the evidence library list", () => {
  it("should give each item its control, test, dates, validity, uploader and file or link", async () => {
    const { items } = await list(owner.client);
    const file = items.find((item) => item.id === ids.file);
    expect(file).toMatchObject({
      controlKey: ENCRYPTION,
      controlTitle: expect.stringMatching(/\w/),
      testKey: ENCRYPTION_TEST,
      testDescription: expect.stringMatching(/\w/),
      kind: "file",
      fileName: "RDS-Encryption.txt",
      sizeBytes: 8,
      url: null,
      evidenceDate: dayFromToday(-2),
      validUntil: expect.any(String),
      validity: "valid",
      uploadedBy: { id: owner.id, name: "Owner of Library Co" },
      createdAt: expect.any(String),
    });
    const linked = items.find((item) => item.id === ids.percent);
    expect(linked).toMatchObject({
      kind: "link",
      url: "https://wiki.example.com/Inventory_Export",
      fileName: null,
      testKey: null,
      testDescription: null,
      uploadedBy: { id: editor.id, name: "Edna Editor" },
    });
    const control = await owner.client.get(`/api/v1/controls/${INVENTORY}`);
    expect(linked?.controlTitle).toBe(control.body.title);
  });

  it("should compute validity against today: expired after the last day, expiring within 30 days", async () => {
    const byId = new Map((await list(owner.client)).items.map((item) => [item.id, item]));
    const validity = (key: string) => byId.get(ids[key] as string)?.validity;
    expect({
      expiredYesterday: validity("expiredYesterday"),
      endsToday: validity("endsToday"),
      endsIn30: validity("endsIn30"),
      endsIn31: validity("endsIn31"),
      defaultExpiring: validity("defaultExpiring"),
      defaultValid: validity("defaultValid"),
      defaultExpired: validity("defaultExpired"),
    }).toEqual({
      expiredYesterday: "expired",
      endsToday: "expiring",
      endsIn30: "expiring",
      endsIn31: "valid",
      defaultExpiring: "expiring",
      defaultValid: "valid",
      defaultExpired: "expired",
    });
    expect(await titles("validity=expired")).toEqual(["dated 366 days ago", "ends yesterday"]);
    expect(await titles("validity=expiring")).toEqual([
      "dated 335 days ago",
      "ends in 30 days",
      "ends today",
    ]);
    const valid = await titles("validity=valid");
    expect(valid).toContain("ends in 31 days");
    expect(valid).toContain("dated 334 days ago");
    expect(valid).not.toContain("ends today");
    expect(valid).not.toContain("ends yesterday");
    expect((await list(owner.client, "validity=expiring")).total).toBe(3);
  });

  it("should filter by control, test, kind, uploader and evidence date, together", async () => {
    expect(await titles(`controlKey=${INVENTORY}`)).toEqual([
      "100% disk coverage",
      "1000 disks covered",
      "snake_case report",
    ]);
    expect(await titles(`controlKey=${ENCRYPTION}&testKey=${ENCRYPTION_TEST}`)).toEqual([
      "Volume settings",
    ]);
    expect(await titles("kind=file")).toEqual(["Volume settings"]);
    expect(await titles(`uploadedBy=${owner.id}`)).toEqual(["Volume settings"]);
    expect((await titles(`uploadedBy=${editor.id}`)).length).toBe(10);
    expect(await titles(`from=${dayFromToday(-366)}&to=${dayFromToday(-335)}`)).toEqual([
      "dated 335 days ago",
      "dated 366 days ago",
    ]);
    expect(await titles(`kind=link&controlKey=${ENCRYPTION}&validity=expired`)).toEqual([
      "dated 366 days ago",
      "ends yesterday",
    ]);
    expect(await titles(`kind=file&controlKey=${INVENTORY}`)).toEqual([]);
  });

  it("should search title, description, file name and URL without case, taking % and _ literally", async () => {
    expect(await titles("q=DISK")).toEqual(["100% disk coverage", "1000 disks covered"]);
    expect(await titles("q=kms%20ROTATION")).toEqual(["snake_case report"]);
    expect(await titles("q=rds-encryption")).toEqual(["Volume settings"]);
    expect(await titles("q=inventory_export")).toEqual(["100% disk coverage"]);
    expect(await titles(`q=${encodeURIComponent("100%")}`)).toEqual(["100% disk coverage"]);
    expect(await titles(`q=${encodeURIComponent("%")}`)).toEqual(["100% disk coverage"]);
    expect(await titles("q=e_c")).toEqual(["snake_case report"]);
    expect(await titles("q=_")).toEqual(["100% disk coverage", "snake_case report"]);
    expect(await titles(`q=${encodeURIComponent("\\")}`)).toEqual([]);
    expect(await titles("q=%20%20")).toHaveLength(11);
  });

  it("should leave deleted evidence out", async () => {
    const all = await list(owner.client);
    expect(all.items.map((item) => item.title)).not.toContain("deleted disk coverage");
    expect(all.total).toBe(11);
    expect(await titles("q=deleted")).toEqual([]);
  });

  it("should page newest first by cursor, counting the matches on the first page only", async () => {
    const everything = (await list(owner.client)).items.map((item) => item.id);
    const seen: string[] = [];
    const totals: (number | null)[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const reply = await owner.client.get(
        `/api/v1/evidence?limit=4${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(reply.status).toBe(200);
      expect(reply.body.items.length).toBeLessThanOrEqual(4);
      seen.push(...reply.body.items.map((item: Item) => item.id));
      totals.push(reply.body.total);
      cursor = reply.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(everything);
    expect(totals).toEqual([11, null, null]);
    expect((await owner.client.get("/api/v1/evidence?limit=4")).body.totalCapped).toBe(false);
    // Newest first: the file was added last but one (before the deleted link).
    expect(everything[0]).toBe(ids.file);

    const filtered = await owner.client.get(`/api/v1/evidence?limit=2&controlKey=${INVENTORY}`);
    expect(filtered.body.total).toBe(3);
    const rest = await owner.client.get(
      `/api/v1/evidence?limit=2&controlKey=${INVENTORY}&cursor=${filtered.body.nextCursor}`,
    );
    expect(rest.body.items.map((item: Item) => item.title)).toEqual(["100% disk coverage"]);
    expect(rest.body.nextCursor).toBeNull();
  });

  it("should answer 400 naming the field for each bad filter", async () => {
    const cases: [string, string][] = [
      ["validity=soon", "validity"],
      ["kind=video", "kind"],
      ["uploadedBy=someone", "uploadedBy"],
      ["from=2026-13-01", "from"],
      ["to=yesterday", "to"],
      [`from=${dayFromToday(-1)}&to=${dayFromToday(-2)}`, "to"],
      ["controlKey=Not%20A%20Key", "controlKey"],
      [`q=${"x".repeat(201)}`, "q"],
      ["limit=0", "limit"],
      ["cursor=nonsense", "cursor"],
      ["control=asset-inventory", "control"],
    ];
    for (const [query, field] of cases) {
      const reply = await owner.client.get(`/api/v1/evidence?${query}`);
      expect({ query, status: reply.status, field: reply.body.errors?.[0]?.field }).toEqual({
        query,
        status: 400,
        field,
      });
    }
  });

  it("should let auditors read the library, and refuse members and strangers", async () => {
    expect(await titles("kind=file", auditor.client)).toEqual(["Volume settings"]);
    const refused = await member.client.get("/api/v1/evidence?validity=expired");
    expect(refused.status).toBe(403);
    expect(refused.body.items).toBeUndefined();
    const anonymous = await new Client(t.app).get("/api/v1/evidence?q=disk");
    expect(anonymous.status).toBe(401);
  });

  it("should never show another organization's evidence, whatever the filter", async () => {
    const other = await createOrganization(t, "Other Library Co");
    await addLink(other.client, {
      controlKey: INVENTORY,
      title: "Other disk coverage",
      evidenceDate: dayFromToday(-400),
      url: "https://other.example.com",
    });
    expect((await list(other.client)).items.map((item) => item.title)).toEqual([
      "Other disk coverage",
    ]);
    for (const query of [
      "",
      "q=disk",
      `controlKey=${INVENTORY}`,
      "validity=expired",
      `uploadedBy=${other.id}`,
    ]) {
      expect(await titles(query)).not.toContain("Other disk coverage");
    }
    expect(await titles(`uploadedBy=${other.id}`)).toEqual([]);
    expect(await titles(`uploadedBy=${owner.id}`, other.client)).toEqual([]);
    expect((await list(other.client, "q=disk")).total).toBe(1);
  });

  it("should count up to the limit on a large library and say that more match", async () => {
    const large = await createOrganization(t, "Large Library Co");
    const rows = Array.from({ length: COUNT_LIMIT + 1 }, (_, i) => ({
      organization_id: large.organizationId,
      control_key: i % 2 ? ENCRYPTION : INVENTORY,
      kind: "link" as const,
      title: `Bulk item ${i}`,
      url: "https://example.com/bulk",
      evidence_date: dayFromToday(-3),
      uploaded_by: large.id,
      created_at: new Date(Date.now() - i * 1000),
    }));
    // Written straight to the table (as the test database's owner): a thousand API calls add
    // nothing to what this checks.
    await t.deps.db.insertInto("evidence").values(rows).execute();
    const first = await large.client.get("/api/v1/evidence?limit=5");
    expect(first.body).toMatchObject({ total: COUNT_LIMIT, totalCapped: true });
    expect(first.body.items[0].title).toBe("Bulk item 0");
    const half = await large.client.get(`/api/v1/evidence?limit=5&controlKey=${ENCRYPTION}`);
    expect(half.body).toMatchObject({ total: COUNT_LIMIT / 2, totalCapped: false });
  });

  it("should give the demo organization a library with valid, expiring and expired evidence", async () => {
    const demo = await createOrganization(t, "Demo Library Co");
    const owner = { userId: demo.id, name: "Dana Owner", email: "dana@example.com" };
    const added = await seedDemoEvidence(t.deps.db, {
      organizationId: demo.organizationId,
      owner,
      ownerContext: {
        db: t.deps.db,
        organizationId: demo.organizationId,
        actor: { type: "user", userId: demo.id, name: owner.name, role: "owner" },
        requestId: null,
      },
      size: "small",
      now: new Date(),
      programStart: new Date(Date.now() - 400 * 86_400_000),
      people: [],
      random: Math.random,
      event: () => {},
      counts: {},
      progress: () => {},
    });
    const all = await list(demo.client);
    expect(all.total).toBe(added);
    const count = (validity: string) => all.items.filter((i) => i.validity === validity).length;
    expect({ expiring: count("expiring"), expired: count("expired") }).toEqual({
      expiring: 3,
      expired: 2,
    });
    expect(count("valid")).toBeGreaterThanOrEqual(5);
    expect(new Set(all.items.map((item) => item.controlKey)).size).toBeGreaterThanOrEqual(10);
    const events = await demo.client.get("/api/v1/audit-events?action=evidence.linked&limit=200");
    expect(events.body.items).toHaveLength(added);
  });
});
