import type { Deps } from "../../platform/deps.ts";
import { idParams } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { listGroupRoles, setGroupRole } from "./scim.group-roles.ts";
import { scimBaseUrl } from "./scim.http.ts";
import {
  createdScimToken,
  newScimToken,
  scimGroupRole,
  scimGroupRoleChange,
  scimGroupRoleList,
  scimTokenList,
  scimTokenView,
} from "./scim.schema.ts";
import { createScimToken, listScimTokens, revokeScimToken } from "./scim.tokens.service.ts";

const tags = ["scim"];
const MANAGE = { access: "scim.manage" } as const;

/**
 * The organization's SCIM tokens: owners create (shown once), list and revoke them; and the
 * job role each of the provider's groups gives its members.
 */
export function scimSettingsRoutes(app: App, deps: Deps): void {
  app.get(
    "/api/v1/scim-tokens",
    {
      config: MANAGE,
      schema: {
        tags,
        summary:
          "The organization's SCIM tokens (never the tokens themselves) and the SCIM base URL",
        response: { 200: scimTokenList },
      },
    },
    async (request) => ({
      items: await listScimTokens(contextOf(request, deps)),
      nextCursor: null,
      baseUrl: scimBaseUrl(request, deps),
    }),
  );

  app.post(
    "/api/v1/scim-tokens",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Create a SCIM token for an identity provider; the token is shown once",
        body: newScimToken,
        response: { 201: createdScimToken },
      },
    },
    async (request, reply) => {
      const created = await createScimToken(contextOf(request, deps), request.body.name);
      return reply.code(201).send({ ...created, baseUrl: scimBaseUrl(request, deps) });
    },
  );

  app.post(
    "/api/v1/scim-tokens/:id/revoke",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Revoke a SCIM token: the identity provider's next request is refused",
        params: idParams,
        response: { 200: scimTokenView },
      },
    },
    async (request) => revokeScimToken(contextOf(request, deps), request.params.id),
  );

  app.get(
    "/api/v1/scim-groups",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "The provider's groups, each with the job role it gives its members",
        response: { 200: scimGroupRoleList },
      },
    },
    async (request) => ({
      items: await listGroupRoles(contextOf(request, deps)),
      nextCursor: null,
    }),
  );

  app.patch(
    "/api/v1/scim-groups/:id",
    {
      config: MANAGE,
      schema: {
        tags,
        summary:
          "Set the job role a group gives (null: its display name); its members move to it at once",
        params: idParams,
        body: scimGroupRoleChange,
        response: { 200: scimGroupRole },
      },
    },
    async (request) =>
      setGroupRole(contextOf(request, deps), request.params.id, request.body.jobRole),
  );
}
