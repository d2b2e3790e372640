import type { Deps } from "../../platform/deps.ts";
import { decodeCursor, encodeCursor, idParams } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { appUrl } from "../../platform/links.ts";
import { loginResponse } from "../auth/auth.schema.ts";
import { contextOf, sessionPolicy, setSessionCookie } from "../auth/auth-hook.ts";
import { createSession, type NewSession } from "../auth/sessions.service.ts";
import { reactivateUser } from "./reactivation.service.ts";
import {
  acceptBody,
  invitationParams,
  invitationView,
  inviteBody,
  inviteResponse,
  listQuery,
  reactivateResponse,
  updateBody,
  userCursor,
  userList,
  userView,
} from "./users.schema.ts";
import {
  acceptInvitation,
  deactivateUser,
  getInvitation,
  getUser,
  inviteUser,
  listUsers,
  updateUser,
} from "./users.service.ts";

export function usersRoutes(app: App, deps: Deps) {
  app.get(
    "/api/v1/users",
    {
      config: { access: "users.read" },
      schema: { tags: ["users"], querystring: listQuery, response: { 200: userList } },
    },
    async (request) => {
      const after = decodeCursor(request.query.cursor, userCursor);
      const page = await listUsers(contextOf(request, deps), {
        after: after ? { createdAt: new Date(after.createdAt), id: after.id } : undefined,
        limit: request.query.limit,
      });
      return {
        items: page.items,
        nextCursor: page.next
          ? encodeCursor({ createdAt: page.next.createdAt.toISOString(), id: page.next.id })
          : null,
      };
    },
  );

  app.get(
    "/api/v1/users/:id",
    {
      config: { access: "users.read" },
      schema: { tags: ["users"], params: idParams, response: { 200: userView } },
    },
    async (request) => getUser(contextOf(request, deps), request.params.id),
  );

  app.post(
    "/api/v1/users",
    {
      config: { access: "users.manage" },
      schema: {
        tags: ["users"],
        summary: "Invite a person with a role; answers the invitation link to send them",
        body: inviteBody,
        response: { 201: inviteResponse },
      },
    },
    async (request, reply) => {
      const { user, inviteToken } = await inviteUser(contextOf(request, deps), request.body);
      // From the configured address, never the request's Host header, which the sender sets.
      return reply.code(201).send({ user, inviteUrl: appUrl(deps, `/invite/${inviteToken}`) });
    },
  );

  app.patch(
    "/api/v1/users/:id",
    {
      config: { access: "users.manage" },
      schema: { tags: ["users"], params: idParams, body: updateBody, response: { 200: userView } },
    },
    async (request) => updateUser(contextOf(request, deps), request.params.id, request.body),
  );

  app.post(
    "/api/v1/users/:id/deactivate",
    {
      config: { access: "users.manage" },
      schema: { tags: ["users"], params: idParams, response: { 200: userView } },
    },
    async (request) => deactivateUser(contextOf(request, deps), request.params.id),
  );

  app.post(
    "/api/v1/users/:id/reactivate",
    {
      config: { access: "users.manage" },
      schema: {
        tags: ["users"],
        summary:
          "Give a deactivated account back; one that never had a password is invited again, with the link to send",
        params: idParams,
        response: { 200: reactivateResponse },
      },
    },
    async (request) => {
      const { user, inviteToken } = await reactivateUser(
        contextOf(request, deps),
        request.params.id,
      );
      return { user, inviteUrl: inviteToken ? appUrl(deps, `/invite/${inviteToken}`) : null };
    },
  );

  app.get(
    "/api/v1/invitations/:token",
    {
      config: { access: "public" },
      schema: { tags: ["users"], params: invitationParams, response: { 200: invitationView } },
    },
    async (request) => getInvitation(deps.db, request.params.token),
  );

  app.post(
    "/api/v1/invitations/:token/accept",
    {
      config: {
        access: "public",
        rateLimit: { max: deps.config.loginRateLimit, timeWindow: "1 minute" },
      },
      schema: {
        tags: ["users"],
        params: invitationParams,
        body: acceptBody,
        response: { 200: loginResponse },
      },
    },
    async (request, reply) => {
      let session: NewSession | undefined;
      const user = await acceptInvitation(
        deps.db,
        { token: request.params.token, ...request.body, requestId: request.id },
        async (tx, activated) => {
          session = await createSession(tx, {
            organizationId: activated.organization_id,
            userId: activated.id,
            mfaPending: false,
            policy: sessionPolicy(deps),
            ip: request.ip,
            userAgent: request.headers["user-agent"] ?? null,
          });
        },
      );
      if (!session) throw new Error("invitation accepted without a session");
      setSessionCookie(reply, deps, session.token, deps.config.sessionMaxHours * 3600);
      return {
        status: "ok" as const,
        user: {
          id: user.id,
          name: user.name,
          email: user.email,
          role: user.role,
          mfaEnabled: false,
        },
        csrfToken: session.csrfToken,
      };
    },
  );
}
