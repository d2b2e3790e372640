import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { isoDay } from "../../../src/domain/dates.ts";
import {
  addPerson,
  createOrganization,
  createTestApp,
  type Person,
  type TestApp,
} from "../../helpers/app.ts";
import {
  COMPANY_PROFILE,
  createFinishedPolicy,
  finishDraft,
  setCompanyProfile,
} from "../../helpers/policies.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function policyState(person: Person, policyId: string) {
  const policy = (await person.client.get(`/api/v1/policies/${policyId}`)).body;
  const approvals = policy.versions.flatMap((v: { approvals: unknown[] }) => v.approvals);
  const published = await person.client.get("/api/v1/audit-events?action=policy.published");
  const reviewed = await person.client.get("/api/v1/audit-events?action=policy.reviewed");
  return {
    statuses: policy.versions.map((v: { status: string }) => v.status),
    bodies: policy.versions.map((v: { body: string }) => v.body),
    approvals: approvals.length,
    events: published.body.items.length + reviewed.body.items.length,
  };
}

describe("company profile", () => {
  it("should be saved by owners and admins, validated field by field, audited, and cleared with null", async () => {
    const owner = await createOrganization(t, "Profile Co");
    const editor = await addPerson(t, owner, "editor");
    expect((await owner.client.get("/api/v1/organization")).body.companyProfile).toEqual({});

    const saved = await setCompanyProfile(owner);
    expect(saved.companyProfile).toEqual(COMPANY_PROFILE);
    // The periods stay as they were.
    expect(saved.settings.policyReviewDays).toBe(365);

    const bad = await owner.client.patch("/api/v1/organization", {
      companyProfile: { securityEmail: "not an address", rtoHours: 0 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      "companyProfile.rtoHours",
      "companyProfile.securityEmail",
    ]);
    const unknown = await owner.client.patch("/api/v1/organization", {
      companyProfile: { favouriteColour: "teal" },
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.errors)).toContain("favouriteColour");
    const notWeb = await owner.client.patch("/api/v1/organization", {
      companyProfile: { websiteUrl: "javascript:alert(1)" },
    });
    expect(notWeb.status).toBe(400);
    expect(notWeb.body.errors[0].field).toBe("companyProfile.websiteUrl");
    expect((await owner.client.get("/api/v1/organization")).body.companyProfile).toEqual(
      COMPANY_PROFILE,
    );

    const forbidden = await editor.client.patch("/api/v1/organization", {
      companyProfile: { productName: "Mine" },
    });
    expect(forbidden.status).toBe(403);

    const cleared = await owner.client.patch("/api/v1/organization", {
      companyProfile: { legalEntity: null, productName: "Example Cloud 2" },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body.companyProfile.legalEntity).toBeUndefined();
    expect(cleared.body.companyProfile.productName).toBe("Example Cloud 2");
    expect(cleared.body.companyProfile.securityLead).toBe(COMPANY_PROFILE.securityLead);

    const events = await owner.client.get("/api/v1/audit-events?action=organization.updated");
    expect(events.body.items).toHaveLength(2);
    const last = events.body.items[0];
    expect(last.before.companyProfile.legalEntity).toBe(COMPANY_PROFILE.legalEntity);
    expect(last.after.companyProfile.legalEntity).toBeUndefined();
    expect(last.after.companyProfile.productName).toBe("Example Cloud 2");
  });

  it("should fill a new draft's placeholders from the profile and say which remain", async () => {
    const owner = await createOrganization(t, "Filled Co");
    const before = await owner.client.post("/api/v1/policies", { templateKey: "privacy-policy" });
    expect(before.body.versions[0]).toMatchObject({ templateNote: true });
    expect(before.body.versions[0].placeholders).toContain("legal_entity");
    expect(before.body.versions[0].placeholders).not.toContain("company_name");
    // Approval fills the effective date; it is not for the author to write.
    expect(before.body.versions[0].placeholders).not.toContain("effective_date");
    await owner.client.post(`/api/v1/policies/${before.body.id}/retire`);

    await setCompanyProfile(owner, { ...COMPANY_PROFILE, jurisdiction: undefined });
    const created = await owner.client.post("/api/v1/policies", { templateKey: "privacy-policy" });
    expect(created.status).toBe(201);
    const draft = created.body.versions[0];
    expect(draft).toMatchObject({ placeholders: ["jurisdiction"], templateNote: true });
    expect(draft.body).toContain(`${COMPANY_PROFILE.legalEntity} ("Filled Co", "we", "us")`);
    expect(draft.body).toContain(COMPANY_PROFILE.privacyEmail);
    expect(draft.body).toContain("{{effective_date}}");
    // The note still lists what the author was asked to check.
    expect(draft.body).toMatch(
      /About this template\.\*\* Fill in these placeholders before publishing: \{\{company_name\}\}/,
    );
  });
});

describe("approval of unfinished text", () => {
  it("should refuse to approve a version with placeholders or the template note, name each, and write nothing", async () => {
    const owner = await createOrganization(t, "Unfinished Co");
    const created = await owner.client.post("/api/v1/policies", { templateKey: "privacy-policy" });
    const id = created.body.id;
    expect((await owner.client.post(`/api/v1/policies/${id}/submit`)).status).toBe(200);
    const before = await policyState(owner, id);

    const refused = await owner.client.post(`/api/v1/policies/${id}/approve`, {});
    expect(refused.status).toBe(409);
    const remaining = created.body.versions[0].placeholders as string[];
    expect(remaining).toEqual(
      expect.arrayContaining(["legal_entity", "product_name", "privacy_email", "jurisdiction"]),
    );
    for (const name of remaining) {
      expect(refused.body.detail).toContain(`{{${name}}}`);
      expect(refused.body.errors).toContainEqual({
        field: "body",
        message: `still holds the placeholder {{${name}}}`,
      });
    }
    expect(refused.body.detail).toContain("About this template");
    expect(refused.body.errors).toContainEqual({
      field: "body",
      message: "still holds the template note (“About this template”)",
    });
    expect(refused.body.errors).toHaveLength(remaining.length + 1);
    expect(await policyState(owner, id)).toEqual(before);
    expect(before.statuses).toEqual(["submitted"]);

    // Only the note left: only the note is named.
    await owner.client.post(`/api/v1/policies/${id}/reject`, { reason: "Fill it in" });
    await setCompanyProfile(owner);
    const filled = created.body.versions[0].body.replace(
      /\{\{(?!effective_date)[a-z_]+\}\}/g,
      (m: string) => (m === "{{company_name}}" ? m : "x"),
    );
    await owner.client.request("PUT", `/api/v1/policies/${id}/draft`, {
      body: filled.replace(/\{\{company_name\}\}/g, "Unfinished Co"),
    });
    await owner.client.post(`/api/v1/policies/${id}/submit`);
    const noteOnly = await owner.client.post(`/api/v1/policies/${id}/approve`, {});
    expect(noteOnly.status).toBe(409);
    expect(noteOnly.body.errors).toEqual([
      { field: "body", message: "still holds the template note (“About this template”)" },
    ]);
    expect(noteOnly.body.detail).not.toContain("{{");

    // Finished: approval publishes it with today's date as its effective date.
    await owner.client.post(`/api/v1/policies/${id}/reject`, { reason: "Delete the note" });
    await finishDraft(owner, id);
    await owner.client.post(`/api/v1/policies/${id}/submit`);
    const approved = await owner.client.post(`/api/v1/policies/${id}/approve`, {});
    expect(approved.status).toBe(200);
    const published = approved.body.versions[0];
    expect(published.status).toBe("published");
    expect(published.body).toContain(`**Effective date:** ${isoDay(new Date())}`);
    expect(published.body).not.toContain("{{");
    expect(published).toMatchObject({ placeholders: [], templateNote: false });
    const events = await owner.client.get("/api/v1/audit-events?action=policy.published");
    expect(events.body.items[0].after.effectiveDate).toBe(isoDay(new Date()));
  });

  it("should refuse a placeholder alone, and the annual review of a version that still holds one", async () => {
    const owner = await createOrganization(t, "Review Gap Co");
    const policy = await createFinishedPolicy(owner, "bcdr-policy");
    const id = policy.body.id;
    const draft = (await owner.client.get(`/api/v1/policies/${id}`)).body.versions[0];
    await owner.client.request("PUT", `/api/v1/policies/${id}/draft`, {
      body: `${draft.body}\n\nCall {{oncall_phone}} out of hours.\n`,
    });
    await owner.client.post(`/api/v1/policies/${id}/submit`);
    const refused = await owner.client.post(`/api/v1/policies/${id}/approve`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.errors).toEqual([
      { field: "body", message: "still holds the placeholder {{oncall_phone}}" },
    ]);
    await owner.client.post(`/api/v1/policies/${id}/reject`, { reason: "Phone number" });
    await owner.client.request("PUT", `/api/v1/policies/${id}/draft`, { body: draft.body });
    await owner.client.post(`/api/v1/policies/${id}/submit`);
    expect((await owner.client.post(`/api/v1/policies/${id}/approve`, {})).status).toBe(200);
    expect((await owner.client.post(`/api/v1/policies/${id}/review`, {})).status).toBe(200);

    // A version published before Attest checked this still says {{security_lead}}.
    await withTenant(t.deps.db, owner.organizationId, (tx) =>
      sql`update policy_versions set body = body || ${"\n\nAsk {{security_lead}}.\n"}
          where policy_id = ${id} and status = 'published'`.execute(tx),
    );
    const before = await policyState(owner, id);
    const review = await owner.client.post(`/api/v1/policies/${id}/review`, { comment: "Fine" });
    expect(review.status).toBe(409);
    expect(review.body.detail).toContain("{{security_lead}}");
    expect(review.body.errors).toEqual([
      { field: "body", message: "still holds the placeholder {{security_lead}}" },
    ]);
    expect(await policyState(owner, id)).toEqual(before);
    const shown = (await owner.client.get(`/api/v1/policies/${id}`)).body;
    expect(shown.versions[0]).toMatchObject({
      status: "published",
      placeholders: ["security_lead"],
    });
  });
});
