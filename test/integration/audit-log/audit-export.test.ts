import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordStandaloneEvent } from "../../../src/modules/audit-log/audit-log.service.ts";
import { auditEventBatches } from "../../../src/modules/audit-log/audit-log.trail.ts";
import {
  addPerson,
  createOrganization,
  createTestApp,
  type Person,
  type TestApp,
} from "../../helpers/app.ts";

const run = promisify(execFile);
const VERIFIER = path.resolve("scripts/verify-audit-export.mjs");

let t: TestApp;
let dir: string;
beforeAll(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-audit-export-"));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const POLICY = "Access Control and Termination Policy";

/** An organization whose trail has a published policy, a role change and a deleted notice. */
async function busyOrganization(name: string) {
  const owner = await createOrganization(t, name);
  const admin = await addPerson(t, owner, "admin", "Grace Hopper");
  const member = await addPerson(t, owner, "member", '=HYPERLINK("http://x")');
  const created = await owner.client.post("/api/v1/policies", {
    title: POLICY,
    body: "# Access\n\nAccess is granted on need and removed on the last day.",
  });
  expect(created.status).toBe(201);
  expect((await owner.client.post(`/api/v1/policies/${created.body.id}/submit`)).status).toBe(200);
  expect((await admin.client.post(`/api/v1/policies/${created.body.id}/approve`, {})).status).toBe(
    200,
  );
  expect((await owner.client.patch(`/api/v1/users/${member.id}`, { role: "editor" })).status).toBe(
    200,
  );
  const notice = await owner.client.post("/api/v1/notices", {
    title: "Planned maintenance, Sunday",
    body: "Short downtime.",
    severity: "low",
  });
  expect(notice.status).toBe(201);
  expect((await owner.client.delete(`/api/v1/notices/${notice.body.id}`)).status).toBe(204);
  return { owner, admin, member, policyId: created.body.id as string, noticeId: notice.body.id };
}

interface ListedEvent {
  seq: number;
  action: string;
  summary: string;
  actionLabel: string;
  target: {
    type: string;
    id: string | null;
    name: string | null;
    path: string | null;
    deleted: boolean;
  };
}

async function events(person: Person, query = ""): Promise<ListedEvent[]> {
  const reply = await person.client.get(`/api/v1/audit-events?limit=200${query}`);
  expect(reply.status).toBe(200);
  return reply.body.items;
}

/** A small RFC 4180 reader: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ",") {
      row.push(cell);
      cell = "";
    } else if (!quoted && c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

async function verifyFile(file: string, ...flags: string[]) {
  return run(process.execPath, [VERIFIER, ...flags, file]).then(
    (ok) => ({ code: 0, stdout: ok.stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
}

describe("the audit log in words", () => {
  it("should give each event a sentence and a link to its target, even once the target is gone", async () => {
    const { owner, member, policyId, noticeId } = await busyOrganization("Words Co");
    const all = await events(owner);
    const published = all.find((e) => e.action === "policy.published");
    expect(published).toMatchObject({
      actionLabel: "Policy approved and published",
      summary: `Grace Hopper approved and published version 1 of ${POLICY}`,
      target: {
        type: "policy_version",
        name: POLICY,
        path: `/policies/${policyId}`,
        deleted: false,
      },
    });
    const roleChange = all.find((e) => e.action === "user.role_changed");
    expect(roleChange?.summary).toBe(
      `Owner of Words Co changed the role of =HYPERLINK("http://x") from member to editor`,
    );
    expect(roleChange?.target.path).toMatch(/^\/people\/[0-9a-f-]{36}$/);
    expect(roleChange?.target.id).toBe(member.id);
    const deleted = all.find((e) => e.action === "notice.deleted");
    expect(deleted).toMatchObject({
      summary: "Owner of Words Co deleted the draft notice Planned maintenance, Sunday",
      target: { type: "notice", id: noticeId, path: null, deleted: true },
    });
    const created = all.find((e) => e.action === "notice.created");
    expect(created?.target).toMatchObject({ path: null, deleted: true });
  });

  it("should list the actions that occur in the trail, with labels, for the filter", async () => {
    const { owner } = await busyOrganization("Actions Co");
    const reply = await owner.client.get("/api/v1/audit-events/actions");
    expect(reply.status).toBe(200);
    const actions = reply.body.items as { action: string; label: string }[];
    expect(actions).toContainEqual({
      action: "policy.published",
      label: "Policy approved and published",
    });
    expect(actions.map((a) => a.action)).not.toContain("notice.resolved");
    const inTrail = new Set((await events(owner)).map((e) => e.action));
    expect(new Set(actions.map((a) => a.action))).toEqual(inTrail);
    const labels = actions.map((a) => a.label);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b)));
  });
});

describe("exporting the audit trail", () => {
  it("should export CSV per RFC 4180 with formula cells guarded, as a dated attachment, and audit it", async () => {
    const { owner, member } = await busyOrganization("Csv Co");
    const reply = await owner.client.get("/api/v1/audit-events/export.csv");
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toMatch(/^text\/csv; charset=utf-8/);
    const day = new Date().toISOString().slice(0, 10);
    expect(reply.headers["content-disposition"]).toContain(
      `attachment; filename="attest-audit-trail-${day}.csv"`,
    );
    const text = reply.body as string;
    expect(text.endsWith("\r\n")).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([
      "seq",
      "time",
      "actor",
      "actor_type",
      "actor_id",
      "action",
      "action_label",
      "target_type",
      "target_id",
      "target",
      "summary",
      "before",
      "after",
      "request_id",
      "organization_id",
      "prev_hash",
      "hash",
    ]);
    for (const row of rows) expect(row).toHaveLength(header?.length ?? 0);
    const column = (name: string) => header?.indexOf(name) ?? -1;
    // Oldest first, from seq 1; the export's own event is the last row.
    expect(rows.map((r) => Number(r[0]))).toEqual(rows.map((_, i) => i + 1));
    expect(rows.at(-1)?.[column("action")]).toBe("audit.exported");
    const accepted = rows.find(
      (r) =>
        r[column("action")] === "user.invitation_accepted" && r[column("actor_id")] === member.id,
    );
    // The member's name starts with "=": a spreadsheet must not run it.
    expect(accepted?.[column("actor")]).toBe(`'=HYPERLINK("http://x")`);
    const roleChange = rows.find((r) => r[column("action")] === "user.role_changed");
    expect(roleChange?.[column("target")]).toBe(`'=HYPERLINK("http://x")`);
    expect(JSON.parse(roleChange?.[column("after")] ?? "")).toMatchObject({ role: "editor" });
    const deleted = rows.find((r) => r[column("action")] === "notice.deleted");
    expect(deleted?.[column("summary")]).toContain("Planned maintenance, Sunday");

    const audited = await events(owner, "&action=audit.exported");
    expect(audited).toHaveLength(1);
    expect(audited[0]?.summary).toBe("Owner of Csv Co exported the audit trail as CSV");
  });

  it("should export JSON lines that the standalone verifier accepts, and that fail once a line is edited or removed", async () => {
    const { owner } = await busyOrganization("Jsonl Co");
    const reply = await owner.client.get("/api/v1/audit-events/export.jsonl");
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toMatch(/^application\/jsonl/);
    expect(reply.headers["content-length"]).toBeUndefined();
    const lines = (reply.body as string).trimEnd().split("\n");
    const parsed = lines.map((line) => JSON.parse(line));
    expect(parsed[0]).toMatchObject({ seq: 1, action: "organization.created" });
    expect(parsed.at(-1)).toMatchObject({ action: "audit.exported", after: { format: "jsonl" } });
    expect(parsed.find((e) => e.action === "policy.published")?.summary).toContain(POLICY);

    const file = path.join(dir, "jsonl-co.jsonl");
    fs.writeFileSync(file, reply.body);
    const clean = await verifyFile(file, "--complete", "--head", parsed.at(-1).hash);
    expect(clean).toMatchObject({ code: 0 });
    expect(clean.stdout).toContain(
      `ok  ${lines.length} events verified (a complete chain from seq 1)`,
    );

    // One field of one line edited.
    const edited = [...lines];
    const at = parsed.findIndex((e) => e.action === "user.role_changed");
    edited[at] = JSON.stringify({ ...parsed[at], after: { ...parsed[at].after, role: "owner" } });
    fs.writeFileSync(file, `${edited.join("\n")}\n`);
    const tampered = await verifyFile(file, "--complete");
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain(`(seq ${parsed[at].seq}): altered`);

    // One line removed from the middle.
    const removed = lines.filter((_, i) => i !== 3);
    fs.writeFileSync(file, `${removed.join("\n")}\n`);
    const gap = await verifyFile(file, "--complete");
    expect(gap.code).toBe(1);
    expect(gap.stdout).toContain(`events ${parsed[3].seq}–${parsed[3].seq} are missing`);

    // The newest line removed: only the recorded head catches it.
    fs.writeFileSync(file, `${lines.slice(0, -1).join("\n")}\n`);
    expect((await verifyFile(file, "--complete")).code).toBe(0);
    expect((await verifyFile(file, "--complete", "--head", parsed.at(-1).hash)).code).toBe(1);
  });

  it("should apply the list's filters to the export, each event still verifying on its own", async () => {
    const { owner, admin } = await busyOrganization("Filtered Co");
    const query = `action=policy.published&actorId=${admin.id}`;
    const listed = (await events(owner, `&${query}`)).map((e) => e.seq);
    expect(listed).toHaveLength(1);
    const reply = await owner.client.get(`/api/v1/audit-events/export.jsonl?${query}`);
    expect(reply.status).toBe(200);
    const exported = (reply.body as string)
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(exported.map((e) => e.seq)).toEqual([...listed].reverse());

    const file = path.join(dir, "filtered.jsonl");
    fs.writeFileSync(file, reply.body);
    const verified = await verifyFile(file);
    expect(verified).toMatchObject({ code: 0 });
    // A filtered export is not the whole chain, and the verifier says so when asked.
    expect((await verifyFile(file, "--complete")).code).toBe(1);

    const range = `from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;
    const empty = await owner.client.get(`/api/v1/audit-events/export.csv?${range}`);
    expect(parseCsv(empty.body)).toHaveLength(1);
    const audited = await events(owner, "&action=audit.exported");
    expect(audited[0]?.summary).toBe(
      "Owner of Filtered Co exported the filtered audit trail as CSV",
    );
  });

  it("should refuse bad filters with a problem naming the field, and record no export", async () => {
    const owner = await createOrganization(t, "Bad Filter Co");
    const before = (await events(owner)).length;
    const cases: [string, string][] = [
      ["from=yesterday", "from"],
      ["actorId=nobody", "actorId"],
      [
        `from=${encodeURIComponent("2026-05-02T00:00:00Z")}&to=${encodeURIComponent("2026-05-01T00:00:00Z")}`,
        "to",
      ],
    ];
    for (const [query, field] of cases) {
      for (const format of ["csv", "jsonl"]) {
        const reply = await owner.client.get(`/api/v1/audit-events/export.${format}?${query}`);
        expect({ query, status: reply.status }).toEqual({ query, status: 400 });
        expect(reply.body.errors[0].field).toBe(field);
      }
    }
    expect(await events(owner)).toHaveLength(before);
    const member = await addPerson(t, owner, "member");
    expect((await member.client.get("/api/v1/audit-events/export.csv")).status).toBe(403);
  });

  it("should read the trail in keyset batches that stop at the newest event when the export began", async () => {
    const owner = await createOrganization(t, "Batch Co");
    const ctx = {
      db: t.deps.db,
      organizationId: owner.organizationId,
      actor: { type: "system" as const, name: "test" },
      requestId: null,
    };
    for (let i = 0; i < 7; i++) {
      await recordStandaloneEvent(t.deps.db, {
        organizationId: owner.organizationId,
        actor: ctx.actor,
        action: "test.batched",
        targetType: "test",
        targetId: String(i),
        requestId: null,
      });
    }
    const total = (await events(owner)).length;
    const batches = auditEventBatches(ctx, {}, 3);
    const first = await batches.next();
    expect(first.value?.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3]);
    // Appended while the export runs: not part of it.
    await recordStandaloneEvent(t.deps.db, {
      organizationId: owner.organizationId,
      actor: ctx.actor,
      action: "test.late",
      targetType: "test",
      targetId: null,
      requestId: null,
    });
    const seqs = [...(first.value ?? []).map((e: { seq: number }) => e.seq)];
    let sizes = 1;
    for await (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(3);
      seqs.push(...batch.map((e) => e.seq));
      sizes++;
    }
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(sizes).toBe(Math.ceil(total / 3));
  });
});
