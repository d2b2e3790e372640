// The policies area's endpoints.
import { BASE, get, patch, post, put, seg } from "../../ui/http";
import { fetchAll } from "../../ui/pager";
import type { Answer } from "../../ui/schema";
import type {
  Acknowledgement,
  NewPolicyInput,
  Policy,
  PolicyDiff,
  PolicySummary,
  UpdatePolicyInput,
} from "./types";

export const policiesApi = {
  policies: () => fetchAll<PolicySummary>("/policies"),
  policyTemplates: () =>
    get<Answer<"/api/v1/policies/templates">>("/policies/templates").then((r) => r.items),
  policy: (id: string) => get<Policy>(`/policies/${seg(id)}`),
  createPolicy: (input: NewPolicyInput) => post<Policy>("/policies", input),
  updatePolicy: (id: string, input: UpdatePolicyInput) =>
    patch<Policy>(`/policies/${seg(id)}`, input),
  saveDraft: (id: string, input: { body: string; changeSummary?: string }) =>
    put<Policy>(`/policies/${seg(id)}/draft`, input),
  submitPolicy: (id: string) => post<Policy>(`/policies/${seg(id)}/submit`),
  approvePolicy: (id: string, comment?: string) =>
    post<Policy>(`/policies/${seg(id)}/approve`, { comment }),
  rejectPolicy: (id: string, reason: string) =>
    post<Policy>(`/policies/${seg(id)}/reject`, { reason }),
  reviewPolicy: (id: string, comment?: string) =>
    post<Policy>(`/policies/${seg(id)}/review`, { comment }),
  retirePolicy: (id: string) => post<Policy>(`/policies/${seg(id)}/retire`),
  acknowledgePolicy: (id: string, versionId: string) =>
    post<Acknowledgement>(`/policies/${seg(id)}/acknowledge`, { versionId }),
  policyDiff: (id: string, from: string, to: string) =>
    get<PolicyDiff>(`/policies/${seg(id)}/diff`, { from, to }),
  previewMarkdown: (body: string) =>
    post<Answer<"/api/v1/policies/preview", "post">>("/policies/preview", { body }),
  policyPdfUrl: (id: string, versionId: string) =>
    `${BASE}/policies/${seg(id)}/versions/${seg(versionId)}/pdf`,
  policiesExportUrl: `${BASE}/policies/export.zip`,
  myPolicies: () => get<Answer<"/api/v1/me/policies">>("/me/policies").then((r) => r.items),
};
