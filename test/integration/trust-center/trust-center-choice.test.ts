import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import { forgetPublicState } from "../../../src/modules/trust-center/trust-state.ts";
import {
  Client,
  createOrganization,
  createTestApp,
  type Person,
  type Reply,
  type TestApp,
} from "../../helpers/app.ts";

// Which controls the public page lists: none until chosen, categories or single controls,
// optionally only those in place; and the summary a person confirms before publishing.
let t: TestApp;
let owner: Person;
let dataDir: string;
const anonymous = () => new Client(t.app);

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-trust-choice-"));
  t = await createTestApp({ dataDir });
  // The first organization of the file is the one /trust serves.
  owner = await createOrganization(t, "Choosy Co");
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function expectValidation(reply: Reply, field: string) {
  expect(reply.status).toBe(400);
  expect(reply.body.code).toBe("validation_failed");
  expect(reply.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
}

const cards = (page: string) => [...page.matchAll(/id="control-([a-z0-9-]+)"/g)].map((m) => m[1]);
const summaryLine = (page: string) => /<p class="summary">([^<]*)<\/p>/.exec(page)?.[1];

async function summary() {
  const reply = await owner.client.get("/api/v1/trust-center/publish-summary");
  expect(reply.status).toBe(200);
  return reply.body;
}

async function draftEvents() {
  const reply = await owner.client.get(
    "/api/v1/audit-events?action=trust_center.draft_updated&limit=200",
  );
  return reply.body.items as { action: string; before: unknown; after: unknown }[];
}

describe("a new trust center", () => {
  it("should list no control in its draft, and its first publication shows no controls section", async () => {
    const center = await owner.client.get("/api/v1/trust-center");
    expect(center.body.draft).toMatchObject({
      controlSelection: "chosen",
      shownCategories: [],
      shownControls: [],
      onlyInPlace: false,
    });
    const preview = (await owner.client.get("/api/v1/trust-center/preview")).body as string;
    expect(preview).not.toContain('id="controls"');

    const before = await summary();
    expect(before).toMatchObject({
      online: false,
      firstPublication: true,
      hasUnpublishedChanges: true,
      companyName: "Choosy Co",
      controls: { shown: 0, inPlace: 0, inProgress: 0, onlyInPlace: false },
    });
    expect(before.sections.map((s: { key: string }) => s.key)).not.toContain("controls");

    const published = await owner.client.post("/api/v1/trust-center/publish", {
      draftVersion: before.draftVersion,
    });
    expect(published.status).toBe(200);
    const page = await anonymous().get("/trust");
    expect(page.status).toBe(200);
    expect(page.body).toContain("Choosy Co Trust Center");
    expect(page.body).not.toContain('id="controls"');
    expect(page.body).not.toContain("Security controls");
    expect(page.body).not.toMatch(/of 0 controls/);
    expect(cards(page.body)).toEqual([]);
    expect(await summary()).toMatchObject({ online: true, firstPublication: false });
  });
});

describe("choosing the controls shown", () => {
  it("should refuse a bad selection naming the field, change nothing and audit nothing", async () => {
    const before = (await owner.client.get("/api/v1/trust-center")).body;
    const events = (await draftEvents()).length;
    const patch = (body: unknown) => owner.client.patch("/api/v1/trust-center", body);
    expectValidation(await patch({ shownCategories: ["Marketing"] }), "shownCategories.0");
    expectValidation(
      await patch({ shownControls: ["bcdr-policy", "no-such-control"] }),
      "shownControls.1",
    );
    expectValidation(await patch({ shownCategories: "Availability" }), "shownCategories");
    expectValidation(await patch({ controlSelection: "some" }), "controlSelection");
    expectValidation(await patch({ onlyInPlace: "yes" }), "onlyInPlace");
    expect((await owner.client.get("/api/v1/trust-center")).body).toEqual(before);
    expect((await draftEvents()).length).toBe(events);
  });

  it("should show the categories chosen whole and the single controls chosen, and audit the choice", async () => {
    const chosen = await owner.client.patch("/api/v1/trust-center", {
      shownCategories: ["Availability", "Availability"],
      shownControls: ["incident-tracking"],
    });
    expect(chosen.status).toBe(200);
    expect(chosen.body.draft).toMatchObject({
      shownCategories: ["Availability"],
      shownControls: ["incident-tracking"],
    });
    expect(chosen.body.hasUnpublishedChanges).toBe(true);
    const [event] = await draftEvents();
    expect(event).toMatchObject({
      before: { shownCategories: [], shownControls: [] },
      after: { shownCategories: ["Availability"], shownControls: ["incident-tracking"] },
    });
    // Not live until published.
    expect(cards((await anonymous().get("/trust")).body)).toEqual([]);

    const confirm = await summary();
    expect(confirm.controls).toMatchObject({ shown: 3, onlyInPlace: false });
    expect(confirm.controls.inPlace + confirm.controls.inProgress).toBe(3);
    expect(confirm.sections.find((s: { key: string }) => s.key === "controls")).toEqual({
      key: "controls",
      title: "Security controls",
      items: ["Availability (2)", "Incident Response (1)"],
    });
    expect((await owner.client.post("/api/v1/trust-center/publish")).status).toBe(200);
    const page = (await anonymous().get("/trust")).body as string;
    expect(cards(page)).toEqual(["bcdr-policy", "backup-restoration-testing", "incident-tracking"]);
    expect(summaryLine(page)).toMatch(/^\d of 3 controls in place/);
  });

  it("should list only the controls passing now with only in place, and follow their status", async () => {
    const channel = "confidential-reporting-channel";
    await owner.client.patch("/api/v1/trust-center", {
      shownCategories: ["Communications"],
      shownControls: [],
    });
    await owner.client.post("/api/v1/trust-center/publish");
    const all = (await anonymous().get("/trust")).body as string;
    expect(cards(all)).toContain("description-of-services");
    expect(cards(all)).toContain(channel);

    const turnedOn = await owner.client.patch("/api/v1/trust-center", { onlyInPlace: true });
    expect(turnedOn.body.draft.onlyInPlace).toBe(true);
    const confirm = await summary();
    expect(confirm.controls).toEqual({ shown: 1, inPlace: 1, inProgress: 0, onlyInPlace: true });
    await owner.client.post("/api/v1/trust-center/publish");
    const first = await anonymous().get("/trust");
    // The reporting channel is open: its control passes; nothing else of the category does.
    expect(cards(first.body)).toEqual([channel]);
    expect(summaryLine(first.body)).toBe("1 control in place, monitored continuously.");

    // The channel closes: the control stops passing and leaves the page at once.
    expect(
      (await owner.client.patch("/api/v1/reporting/settings", { enabled: false })).status,
    ).toBe(200);
    const closed = await anonymous().request("GET", "/trust", undefined, {
      "if-none-match": String(first.headers.etag),
    });
    expect(closed.status).toBe(200);
    expect(cards(closed.body)).toEqual([]);
    expect(closed.body).not.toContain('id="controls"');

    await owner.client.patch("/api/v1/reporting/settings", { enabled: true });
    const reopened = await anonymous().request("GET", "/trust", undefined, {
      "if-none-match": String(closed.headers.etag),
    });
    expect(reopened.status).toBe(200);
    expect(cards(reopened.body)).toEqual([channel]);

    // A status written by an evaluation that announces nothing (the scheduled one): the page's
    // freshness stamp covers which controls pass, so once the remembered state expires (at most
    // a second; forgotten here) the page drops the control rather than answering 304.
    await withTenant(t.deps.db, owner.organizationId, (tx) =>
      tx
        .updateTable("control_results")
        .set({ status: "failing" })
        .where("control_key", "=", channel)
        .execute(),
    );
    forgetPublicState(t.deps.db);
    const expired = await anonymous().request("GET", "/trust", undefined, {
      "if-none-match": String(reopened.headers.etag),
    });
    expect(expired.status).toBe(200);
    expect(cards(expired.body)).toEqual([]);
    await reevaluate(t.deps.db, owner.organizationId);
    forgetPublicState(t.deps.db);
    expect(cards((await anonymous().get("/trust")).body)).toEqual([channel]);
  });
});

describe("the publish summary", () => {
  it("should tell the sections, documents and notices the page would show", async () => {
    const form = new FormData();
    form.append("title", "Security overview");
    form.append("access", "public");
    form.append("file", new Blob(["Our overview"], { type: "text/plain" }), "overview.txt");
    const uploaded = await owner.client.postForm("/api/v1/trust-documents/upload", form);
    expect(uploaded.status).toBe(201);
    const notice = await owner.client.post("/api/v1/notices", {
      title: "Planned maintenance",
      body: "Read-only for ten minutes.",
      severity: "info",
      kind: "maintenance",
      affectedServices: [],
    });
    expect(notice.status).toBe(201);
    expect(
      (
        await owner.client.post(`/api/v1/notices/${notice.body.id}/publish`, {
          notifySubscribers: false,
        })
      ).status,
    ).toBe(200);

    const confirm = await summary();
    expect(confirm).toMatchObject({ online: true, firstPublication: false });
    expect(confirm.sections).toEqual([
      { key: "controls", title: "Security controls", items: ["Communications (1)"] },
      { key: "notices", title: "Notices", items: ["Planned maintenance"] },
      { key: "documents", title: "Documents", items: ["Security overview"] },
      { key: "reporting", title: "Report a concern", items: [] },
    ]);
  });

  it("should publish only the draft the summary showed", async () => {
    const seen = await summary();
    expect(seen.hasUnpublishedChanges).toBe(false);
    await owner.client.patch("/api/v1/trust-center", { tagline: "Changed meanwhile" });
    const changed = await summary();
    expect(changed.hasUnpublishedChanges).toBe(true);
    expect(changed.draftVersion).not.toBe(seen.draftVersion);
    const history = (await owner.client.get("/api/v1/trust-center")).body.history.length;

    const stale = await owner.client.post("/api/v1/trust-center/publish", {
      draftVersion: seen.draftVersion,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.errors.map((e: { field: string }) => e.field)).toEqual(["draftVersion"]);
    expect((await owner.client.get("/api/v1/trust-center")).body.history.length).toBe(history);
    expect((await anonymous().get("/trust")).body).not.toContain("Changed meanwhile");

    const fresh = await owner.client.post("/api/v1/trust-center/publish", {
      draftVersion: changed.draftVersion,
    });
    expect(fresh.status).toBe(200);
    expect((await anonymous().get("/trust")).body).toContain("Changed meanwhile");
    expectValidation(
      await owner.client.post("/api/v1/trust-center/publish", { draftVersion: "" }),
      "draftVersion",
    );
  });
});
