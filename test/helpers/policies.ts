import { expect } from "vitest";
import { type CompanyProfile, placeholderValues } from "../../src/domain/company-profile.ts";
import {
  APPROVAL_PLACEHOLDERS,
  fillPlaceholders,
  removeTemplateNote,
} from "../../src/domain/policy-text.ts";
import type { Person, Reply } from "./app.ts";

/** A company profile with every field the templates ask for. */
export const COMPANY_PROFILE: Required<CompanyProfile> = {
  legalEntity: "Example Holdings Ltd",
  productName: "Example Cloud",
  serviceSummary: "Example Cloud keeps shared task lists for small teams.",
  securityLead: "Sam Lead, Head of Security",
  securityEmail: "security@example.test",
  privacyEmail: "privacy@example.test",
  websiteUrl: "https://example.test",
  trustCenterUrl: "https://example.test/trust",
  hostingProvider: "Hetzner Online",
  primaryRegion: "Falkenstein, Germany",
  jurisdiction: "Germany",
  rtoHours: 12,
  rpoHours: 4,
  backupRetentionDays: 30,
  retentionDefaultDays: 60,
};

/** Settings → Organization: the owner or an admin saves the company profile. */
export async function setCompanyProfile(person: Person, profile: CompanyProfile = COMPANY_PROFILE) {
  const reply = await person.client.patch("/api/v1/organization", { companyProfile: profile });
  expect(reply.status).toBe(200);
  return reply.body;
}

/**
 * What an author does before submitting a draft made from a template: writes in what is still
 * a placeholder and deletes the template note. Approval fills the effective date itself.
 */
export async function finishDraft(author: Person, policyId: string) {
  const policy = await author.client.get(`/api/v1/policies/${policyId}`);
  const draft = policy.body.versions.find((v: { status: string }) => v.status === "draft");
  expect(draft).toBeDefined();
  const values = placeholderValues("", COMPANY_PROFILE);
  delete values.company_name;
  for (const name of APPROVAL_PLACEHOLDERS) delete values[name];
  const body = removeTemplateNote(fillPlaceholders(draft.body, values));
  const saved = await author.client.request("PUT", `/api/v1/policies/${policyId}/draft`, { body });
  expect(saved.status).toBe(200);
  expect(saved.body.versions[0]).toMatchObject({ placeholders: [], templateNote: false });
  return saved.body;
}

/** Creates a policy from its template and finishes its draft, ready to submit. */
export async function createFinishedPolicy(author: Person, templateKey: string): Promise<Reply> {
  const created = await author.client.post("/api/v1/policies", { templateKey });
  expect(created.status).toBe(201);
  await finishDraft(author, created.body.id);
  return created;
}

/** Creates a policy from its template, has its author submit it and the approver approve it. */
export async function publishPolicy(
  author: Person,
  templateKey: string,
  approver: Person = author,
  approval: { comment?: string } = {},
) {
  const created = await createFinishedPolicy(author, templateKey);
  const id = created.body.id as string;
  expect((await author.client.post(`/api/v1/policies/${id}/submit`)).status).toBe(200);
  const approved = await approver.client.post(`/api/v1/policies/${id}/approve`, approval);
  expect(approved.status).toBe(200);
  return approved.body as {
    id: string;
    versions: { id: string; status: string; version: number }[];
  };
}
