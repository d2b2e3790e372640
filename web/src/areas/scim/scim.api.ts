// SCIM provisioning: the organization's SCIM tokens (owners only).
import { get, patch, post, seg } from "../../ui/http";
import type { Answer } from "../../ui/schema";

export type ScimTokenList = Answer<"/api/v1/scim-tokens">;
export type ScimToken = ScimTokenList["items"][number];
export type CreatedScimToken = Answer<"/api/v1/scim-tokens", "post">;

export const scimKeys = { tokens: ["scim-tokens"] as const };

export const scimApi = {
  tokens: () => get<ScimTokenList>("/scim-tokens"),
  create: (name: string) => post<CreatedScimToken>("/scim-tokens", { name }),
  revoke: (id: string) => post<ScimToken>(`/scim-tokens/${seg(id)}/revoke`),
};

export type ScimGroupRoleList = Answer<"/api/v1/scim-groups">;
export type ScimGroupRole = ScimGroupRoleList["items"][number];

export const scimGroupKeys = { groups: ["scim-groups"] as const };

export const scimGroupApi = {
  groups: () => get<ScimGroupRoleList>("/scim-groups"),
  setJobRole: (id: string, jobRole: string | null) =>
    patch<ScimGroupRole>(`/scim-groups/${seg(id)}`, { jobRole }),
};
