import { z } from "zod";
import { companyProfilePatchSchema, companyProfileSchema } from "../../domain/company-profile.ts";
import { settingsPatchSchema, settingsSchema } from "../../domain/settings.ts";
import type { Deps } from "../../platform/deps.ts";
import { idSchema } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { getOrganization, updateOrganization } from "./organizations.service.ts";

const organizationView = z.object({
  id: idSchema,
  name: z.string(),
  requireMfa: z.boolean(),
  settings: settingsSchema,
  companyProfile: companyProfileSchema,
});
const organizationChanges = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    requireMfa: z.boolean().optional(),
    settings: settingsPatchSchema.optional(),
    companyProfile: companyProfilePatchSchema.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, {
    message: "send at least one field to change",
    path: ["body"],
  });

export function organizationsRoutes(app: App, deps: Deps) {
  app.get(
    "/api/v1/organization",
    {
      config: { access: "organization.read" },
      schema: { tags: ["organization"], response: { 200: organizationView } },
    },
    async (request) => getOrganization(contextOf(request, deps)),
  );

  app.patch(
    "/api/v1/organization",
    {
      config: { access: "organization.update" },
      schema: {
        tags: ["organization"],
        body: organizationChanges,
        response: { 200: organizationView },
      },
    },
    async (request) => updateOrganization(contextOf(request, deps), request.body),
  );
}
