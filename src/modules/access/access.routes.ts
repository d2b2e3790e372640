import { z } from "zod";
import type { Deps } from "../../platform/deps.ts";
import {
  decodeCursor,
  encodeCursor,
  idParams,
  idSchema,
  listOf,
} from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import {
  createAccount,
  getAccount,
  listAccounts,
  removeAccountById,
  updateAccount,
} from "./access.accounts.ts";
import {
  approveException,
  createGrant,
  getGrant,
  listGrants,
  revokeGrantById,
} from "./access.grants.ts";
import { createRoleRule, listRoleRules, removeRoleRule } from "./access.role-rules.ts";
import {
  accountChanges,
  accountsQuery,
  accountView,
  exceptionApproval,
  grantsQuery,
  grantView,
  newAccount,
  newGrant,
  newRoleRule,
  removeAccountInput,
  revokeInput,
  roleRulesQuery,
  roleRuleView,
} from "./access.schema.ts";

/**
 * Role rules, grants and accounts under /api/v1. Reads need access.read; role rules need
 * access.manage; grant and account writes are open to access.self and then to the system's
 * owner or an organization owner or admin only (access.rules.ts).
 */
const tags = ["access"];
const grantCursor = z.object({ createdAt: z.string(), id: idSchema });
const accountCursor = z.object({ username: z.string(), id: idSchema });
const ruleCursor = z.object({ jobRole: z.string(), id: idSchema });

function page<T>(result: { items: T[]; next: unknown }) {
  return { items: result.items, nextCursor: result.next ? encodeCursor(result.next) : null };
}

export function accessRoutes(app: App, deps: Deps) {
  // --- role rules ----------------------------------------------------------------------------
  app.get(
    "/api/v1/role-rules",
    {
      config: { access: "access.read" },
      schema: { tags, querystring: roleRulesQuery, response: { 200: listOf(roleRuleView) } },
    },
    async (request) => {
      const { cursor, ...query } = request.query;
      const after = decodeCursor(cursor, ruleCursor);
      return page(await listRoleRules(contextOf(request, deps), { ...query, cursor }, after));
    },
  );
  app.post(
    "/api/v1/role-rules",
    {
      config: { access: "access.manage" },
      schema: { tags, body: newRoleRule, response: { 201: roleRuleView } },
    },
    async (request, reply) =>
      reply.code(201).send(await createRoleRule(contextOf(request, deps), request.body)),
  );
  app.delete(
    "/api/v1/role-rules/:id",
    {
      config: { access: "access.manage" },
      schema: { tags, params: idParams, response: { 200: roleRuleView } },
    },
    async (request) => removeRoleRule(contextOf(request, deps), request.params.id),
  );

  // --- grants --------------------------------------------------------------------------------
  app.get(
    "/api/v1/access-grants",
    {
      config: { access: "access.read" },
      schema: { tags, querystring: grantsQuery, response: { 200: listOf(grantView) } },
    },
    async (request) => {
      const { cursor, ...query } = request.query;
      const after = decodeCursor(cursor, grantCursor);
      return page(await listGrants(contextOf(request, deps), { ...query, cursor }, after));
    },
  );
  app.get(
    "/api/v1/access-grants/:id",
    {
      config: { access: "access.read" },
      schema: { tags, params: idParams, response: { 200: grantView } },
    },
    async (request) => getGrant(contextOf(request, deps), request.params.id),
  );
  app.post(
    "/api/v1/access-grants",
    {
      config: { access: "access.self" },
      schema: { tags, body: newGrant, response: { 201: grantView } },
    },
    async (request, reply) =>
      reply.code(201).send(await createGrant(contextOf(request, deps), request.body)),
  );
  app.post(
    "/api/v1/access-grants/:id/revoke",
    {
      config: { access: "access.self" },
      schema: { tags, params: idParams, body: revokeInput, response: { 200: grantView } },
    },
    async (request) => revokeGrantById(contextOf(request, deps), request.params.id, request.body),
  );
  app.post(
    "/api/v1/access-grants/:id/exception",
    {
      config: { access: "access.self" },
      schema: { tags, params: idParams, body: exceptionApproval, response: { 200: grantView } },
    },
    async (request) => approveException(contextOf(request, deps), request.params.id, request.body),
  );

  // --- accounts ------------------------------------------------------------------------------
  app.get(
    "/api/v1/accounts",
    {
      config: { access: "access.read" },
      schema: { tags, querystring: accountsQuery, response: { 200: listOf(accountView) } },
    },
    async (request) => {
      const { cursor, ...query } = request.query;
      const after = decodeCursor(cursor, accountCursor);
      return page(await listAccounts(contextOf(request, deps), { ...query, cursor }, after));
    },
  );
  app.get(
    "/api/v1/accounts/:id",
    {
      config: { access: "access.read" },
      schema: { tags, params: idParams, response: { 200: accountView } },
    },
    async (request) => getAccount(contextOf(request, deps), request.params.id),
  );
  app.post(
    "/api/v1/accounts",
    {
      config: { access: "access.self" },
      schema: { tags, body: newAccount, response: { 201: accountView } },
    },
    async (request, reply) =>
      reply.code(201).send(await createAccount(contextOf(request, deps), request.body)),
  );
  app.patch(
    "/api/v1/accounts/:id",
    {
      config: { access: "access.self" },
      schema: { tags, params: idParams, body: accountChanges, response: { 200: accountView } },
    },
    async (request) => updateAccount(contextOf(request, deps), request.params.id, request.body),
  );
  app.post(
    "/api/v1/accounts/:id/remove",
    {
      config: { access: "access.self" },
      schema: { tags, params: idParams, body: removeAccountInput, response: { 200: accountView } },
    },
    async (request) => removeAccountById(contextOf(request, deps), request.params.id, request.body),
  );
}
