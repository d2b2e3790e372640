// The policies area's API data, named from the generated schema.
import type { Answer, ItemOf, RequestBody } from "../../ui/schema";

export type Policy = Answer<"/api/v1/policies/{id}">;
export type PolicySummary = ItemOf<"/api/v1/policies">;
export type PolicyVersion = Policy["versions"][number];
export type PolicyApproval = PolicyVersion["approvals"][number];
export type VersionStatus = PolicyVersion["status"];
export type Visibility = Policy["visibility"];
export type Audience = Policy["audience"];
export type PolicyTemplate = ItemOf<"/api/v1/policies/templates">;
export type NewPolicyInput = RequestBody<"/api/v1/policies", "post">;
export type UpdatePolicyInput = RequestBody<"/api/v1/policies/{id}", "patch">;
export type PolicyDiff = Answer<"/api/v1/policies/{id}/diff">;
export type MyPolicy = ItemOf<"/api/v1/me/policies">;
export type Acknowledgement = Answer<"/api/v1/policies/{id}/acknowledge", "post">;
