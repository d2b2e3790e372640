// The organization settings' endpoints.
import { get, patch } from "../../ui/http";
import type { OrganizationDetails, UpdateOrganizationInput } from "./types";

export const organizationsApi = {
  organization: () => get<OrganizationDetails>("/organization"),
  updateOrganization: (input: UpdateOrganizationInput) =>
    patch<OrganizationDetails>("/organization", input),
};
