// SCIM provisioning: the organization's SCIM tokens (owners only).
import { get, post, seg } from "../../ui/http";
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
