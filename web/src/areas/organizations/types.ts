// The organization settings' API data, named from the generated schema.
import type { Answer, RequestBody } from "../../ui/schema";

/** GET /organization: the organization with its settings. */
export type OrganizationDetails = Answer<"/api/v1/organization">;
/** The periods control tests use (Settings → Monitoring). */
export type OrganizationSettings = OrganizationDetails["settings"];
/** The facts the policy templates ask for (Settings → Organization); they fill new drafts. */
export type CompanyProfile = OrganizationDetails["companyProfile"];
export type UpdateOrganizationInput = RequestBody<"/api/v1/organization", "patch">;
