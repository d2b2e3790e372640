import { randomUUID } from "node:crypto";
import { withTenant } from "../../../../src/db/tenant.ts";
import { uniqueEmail } from "../../../helpers/app.ts";
import type { AreaBadRequests } from "./types.ts";
import type { WellMade, WellMadeContext } from "./well-made.ts";

/** Bad requests for the role rules, grants and accounts routes under /api/v1. */
const UNKNOWN = "5a1e7c3d-2b4f-4e6a-9c8d-7f6e5d4c3b2a";

export const accessBadRequests: AreaBadRequests = {
  requests: {
    "POST /api/v1/role-rules": {
      as: "owner",
      body: { jobRole: "", systemId: UNKNOWN, systemRole: "user" },
      fields: ["jobRole"],
    },
    "DELETE /api/v1/role-rules/:id": {
      as: "owner",
      url: () => "/api/v1/role-rules/not-a-rule",
      fields: ["id"],
    },
    "POST /api/v1/access-grants": {
      as: "owner",
      body: { personId: "someone", systemId: UNKNOWN, systemRole: "user" },
      fields: ["personId"],
    },
    "POST /api/v1/access-grants/:id/revoke": {
      as: "owner",
      url: () => `/api/v1/access-grants/${randomUUID()}/revoke`,
      body: { reason: "  " },
      fields: ["reason"],
    },
    "POST /api/v1/access-grants/:id/exception": {
      as: "owner",
      url: () => `/api/v1/access-grants/${randomUUID()}/exception`,
      body: { reason: "Cover", expiresAt: "next week" },
      fields: ["expiresAt"],
    },
    "POST /api/v1/accounts": {
      as: "owner",
      body: { systemId: UNKNOWN, username: "ada", email: "not-an-email" },
      fields: ["email"],
    },
    "PATCH /api/v1/accounts/:id": {
      as: "owner",
      url: () => `/api/v1/accounts/${randomUUID()}`,
      body: { shared: "yes" },
      fields: ["shared"],
    },
    "POST /api/v1/accounts/:id/remove": {
      as: "owner",
      url: () => `/api/v1/accounts/${randomUUID()}/remove`,
      body: { removedAt: "yesterday" },
      fields: ["removedAt"],
    },
    "POST /api/v1/access-keys": {
      as: "owner",
      body: { personId: UNKNOWN, kind: "ssh", publicKey: "x", createdOn: "31/12/2026" },
      fields: ["createdOn"],
    },
    "PATCH /api/v1/access-keys/:id": {
      as: "owner",
      url: () => `/api/v1/access-keys/${randomUUID()}`,
      body: { systemIds: ["not-a-system"] },
      fields: ["systemIds.0"],
    },
    "POST /api/v1/access-keys/:id/revoke": {
      as: "owner",
      url: () => `/api/v1/access-keys/${randomUUID()}/revoke`,
      body: { reason: "" },
      fields: ["reason"],
    },
  },
};

/** A system of the owner's organization (by SQL until the systems area's routes are here). */
async function system(c: WellMadeContext): Promise<string> {
  const organizationId = c.f.owner.organizationId;
  return withTenant(c.t.deps.db, organizationId, async (tx) => {
    const attributes = {
      name: `Well-made system ${randomUUID().slice(0, 8)}`,
      kind: "application" as const,
      owner_id: null,
      production: false,
      classification: "internal" as const,
      customer_data: false,
      backed_up: false,
      scanned: false,
      internet_facing: false,
      allowed_roles: [],
      admin_roles: [],
    };
    const row = await tx
      .insertInto("systems")
      .values({ organization_id: organizationId, ...attributes })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("system_versions")
      .values({
        organization_id: organizationId,
        system_id: row.id,
        valid_from: new Date(),
        ...attributes,
      })
      .execute();
    return row.id;
  });
}

async function somebody(c: WellMadeContext): Promise<string> {
  const reply = await c.f.owner.client.post("/api/v1/people", {
    name: "Well Made Grantee",
    email: uniqueEmail("grantee"),
    startDate: "2026-01-01",
  });
  if (reply.status !== 201) throw new Error(`person: ${JSON.stringify(reply.body)}`);
  return reply.body.id as string;
}

const inAMonth = () => new Date(Date.now() + 30 * 86_400_000).toISOString();

function unknownId(path: (id: string) => string, body?: Record<string, unknown>): WellMade {
  return { url: () => path(UNKNOWN), ...(body ? { body } : {}), status: 404 };
}

/** The same requests made well (the WELL_MADE table spreads these in). */
export const accessWellMade: Record<string, WellMade> = {
  "POST /api/v1/role-rules": {
    prepare: async (c) => ({ systemId: await system(c) }),
    body: (_f, ids) => ({ jobRole: "Engineer", systemId: ids.systemId, systemRole: "user" }),
    status: 201,
  },
  "DELETE /api/v1/role-rules/:id": unknownId((id) => `/api/v1/role-rules/${id}`),
  "POST /api/v1/access-grants": {
    prepare: async (c) => ({ systemId: await system(c), personId: await somebody(c) }),
    body: (_f, ids) => ({ personId: ids.personId, systemId: ids.systemId, systemRole: "user" }),
    status: 201,
  },
  "POST /api/v1/access-grants/:id/revoke": unknownId((id) => `/api/v1/access-grants/${id}/revoke`, {
    reason: "No longer needed",
  }),
  "POST /api/v1/access-grants/:id/exception": unknownId(
    (id) => `/api/v1/access-grants/${id}/exception`,
    { reason: "Cover", expiresAt: inAMonth() },
  ),
  "POST /api/v1/accounts": {
    prepare: async (c) => ({ systemId: await system(c) }),
    body: (_f, ids) => ({ systemId: ids.systemId, username: "ada", email: "ada@example.test" }),
    status: 201,
  },
  "PATCH /api/v1/accounts/:id": unknownId((id) => `/api/v1/accounts/${id}`, { shared: false }),
  "POST /api/v1/accounts/:id/remove": unknownId((id) => `/api/v1/accounts/${id}/remove`, {}),
  "POST /api/v1/access-keys": {
    prepare: async (c) => ({ systemId: await system(c), personId: await somebody(c) }),
    body: (_f, ids) => ({
      personId: ids.personId,
      kind: "cloud",
      keyType: "aws",
      keyId: "AKIAIOSFODNN7EXAMPLE",
      createdOn: "2026-01-02",
      systemIds: [ids.systemId],
    }),
    status: 201,
  },
  "PATCH /api/v1/access-keys/:id": unknownId((id) => `/api/v1/access-keys/${id}`, {
    systemIds: [],
  }),
  "POST /api/v1/access-keys/:id/revoke": unknownId((id) => `/api/v1/access-keys/${id}/revoke`, {
    reason: "Rotated",
  }),
};
