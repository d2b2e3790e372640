import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accessReview,
  apiPerson,
  type Org,
  organization,
  ownedSystem,
  personIdOfUser,
  sqlGrant,
  user,
} from "../../factories.ts";
import { createTestApp, type Person, type TestApp } from "../../helpers/app.ts";
import { csvRecords, download, itemsOf, pdfText, type ReviewItem } from "./helpers.ts";

/**
 * Sign-off: refused (409, saying what is left) until every item is decided and every
 * revocation carried out; then the campaign closes and its record, as PDF, is filed as the
 * evidence of user-access-reviews. The record exports as CSV (formulas kept as text) and PDF
 * (a draft until signed off).
 */
let t: TestApp;
let org: Org;
let rita: Person;
let reviewId: string;
let items: ReviewItem[];

beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t, { name: "Sign-off Co" });
  rita = await user(org, "member", { name: "Rita Reviewer" });
  const ritaPerson = await personIdOfUser(org.owner.client, rita.id);
  const wiki = (await ownedSystem(org, { ownerId: ritaPerson, name: "Wiki" })).id;
  const ann = await apiPerson(org, { name: "Ann Able", jobRole: "Writer" });
  const bob = await apiPerson(org, { name: "=HYPERLINK(bob)", jobRole: "Intern" });
  await sqlGrant(org, { personId: ann, systemId: wiki, systemRole: "editor" });
  await sqlGrant(org, { personId: bob, systemId: wiki, systemRole: "editor" });
  reviewId = (await accessReview(org, { systemIds: [wiki], name: "Wiki, Q4" })).id;
  items = await itemsOf(org.owner.client, reviewId);
});
afterAll(async () => {
  await t?.close();
});

const signOff = () => org.owner.client.post(`/api/v1/access-reviews/${reviewId}/sign-off`);
const byName = (name: string) => items.find((i) => i.person?.name === name) as ReviewItem;

describe("the record and its sign-off", () => {
  it("refuses to sign off while items are undecided", async () => {
    const reply = await signOff();
    expect(reply.status).toBe(409);
    expect(reply.body.detail).toContain("2 items still undecided");
  });

  it("refuses while a revocation is not carried out; the record is a draft meanwhile", async () => {
    await rita.client.post(`/api/v1/access-reviews/${reviewId}/decisions`, {
      itemIds: [byName("Ann Able").id],
      decision: "keep",
      comment: "Writes the handbook",
    });
    const revoked = await rita.client.post(`/api/v1/access-reviews/${reviewId}/decisions`, {
      itemIds: [byName("=HYPERLINK(bob)").id],
      decision: "revoke",
      comment: 'Internship ended, "no" need',
    });
    expect(revoked.body.review.status).toBe("completed");
    const reply = await signOff();
    expect(reply.status).toBe(409);
    expect(reply.body.detail).toContain("1 revocation not yet carried out");
    const member = await rita.client.post(`/api/v1/access-reviews/${reviewId}/sign-off`);
    expect(member.status).toBe(403);

    const pdf = await download(
      t,
      org.owner.client,
      `/api/v1/access-reviews/${reviewId}/record.pdf`,
    );
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe("application/pdf");
    const text = pdfText(pdf.bytes);
    expect(text).toContain("DRAFT");
    expect(text).toContain("not yet carried out");
  });

  it("signs off once the owner carried the revocation out, filing the record as evidence", async () => {
    const taskId = (await itemsOf(rita.client, reviewId)).find((i) => i.decision === "revoke")
      ?.revocation?.taskId;
    const done = await rita.client.post(`/api/v1/access-tasks/${taskId}/complete`, {});
    expect(done.status).toBe(200);
    const reply = await signOff();
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      status: "closed",
      closedBy: { id: org.owner.id },
      counts: { items: 2, kept: 1, revoked: 1, revocationsDone: 1 },
    });
    expect(reply.body.evidenceId).toBeTruthy();
    const evidence = await org.owner.client.get(`/api/v1/evidence/${reply.body.evidenceId}`);
    expect(evidence.status).toBe(200);
    expect(evidence.body).toMatchObject({
      controlKey: "user-access-reviews",
      testKey: "access-reviews-current",
      kind: "file",
      contentType: "application/pdf",
    });
    const file = await download(
      t,
      org.owner.client,
      `/api/v1/evidence/${reply.body.evidenceId}/download`,
    );
    expect(file.status).toBe(200);
    const text = pdfText(file.bytes);
    expect(text).toContain("Access review record: Wiki, Q4");
    expect(text).toContain("Signed off");
    expect(text).not.toContain("DRAFT");
    expect(text).toContain("Ann Able");
    expect(text).toContain("Writes the handbook");
    expect((await signOff()).status).toBe(409);
  });

  it("exports the record as CSV: one row per item, each decision, comment and revocation", async () => {
    const csv = await download(t, rita.client, `/api/v1/access-reviews/${reviewId}/record.csv`);
    expect(csv.status).toBe(403);
    const reply = await download(
      t,
      org.owner.client,
      `/api/v1/access-reviews/${reviewId}/record.csv`,
    );
    expect(reply.status).toBe(200);
    expect(reply.type).toContain("text/csv");
    expect(reply.disposition).toContain(".csv");
    const records = csvRecords(reply.bytes.toString("utf8"));
    expect(records).toHaveLength(2);
    const ann = records.find((r) => r.person === "Ann Able");
    expect(ann).toMatchObject({
      campaign: "Wiki, Q4",
      status: "closed",
      system: "Wiki",
      system_role: "editor",
      job_role: "Writer",
      reviewer: "Rita Reviewer",
      decision: "keep",
      comment: "Writes the handbook",
      revocation_done_at: "",
    });
    const bob = records.find((r) => r.decision === "revoke");
    // A name a spreadsheet would run as a formula stays text.
    expect(bob?.person).toBe("'=HYPERLINK(bob)");
    expect(bob?.comment).toBe('Internship ended, "no" need');
    expect(bob?.revocation_task).toBeTruthy();
    expect(Date.parse(bob?.revocation_done_at ?? "")).not.toBeNaN();
  });
});
