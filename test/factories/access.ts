import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { withTenant } from "../../src/db/tenant.ts";
import { reevaluate } from "../../src/modules/monitoring/evaluation.service.ts";
import type { Org } from "../factories.ts";
import { factoryBody as body, ownerPersonId } from "./shared.ts";

/**
 * Factories of the access area: role rules, grants and accounts, made through the API as the
 * organization's owner. `accessSystem` stands in for the systems area's `system()` factory
 * until it is on this branch: it writes a system and its open version by SQL (swap it for
 * `system()` once POST /api/v1/systems exists; the overrides are the same).
 */

let sequence = 0;
function next(): string {
  sequence++;
  return `${sequence}-${randomUUID().slice(0, 6)}`;
}

export interface AccessSystemOverrides {
  name?: string;
  ownerId?: string | null;
  production?: boolean;
  classification?: "public" | "internal" | "confidential" | "restricted" | null;
  customerData?: boolean;
  allowedRoles?: string[];
  adminRoles?: string[];
  /** When the system (its first version) entered the inventory; default a year ago. */
  validFrom?: Date;
}

/** A system of the inventory (see above): an internal application owned by the org's owner. */
export async function accessSystem(org: Org, overrides: AccessSystemOverrides = {}) {
  const name = overrides.name ?? `System ${next()}`;
  const ownerId = overrides.ownerId === undefined ? await ownerPersonId(org) : overrides.ownerId;
  const validFrom = overrides.validFrom ?? new Date(Date.now() - 365 * 86_400_000);
  const attributes = {
    name,
    kind: "application" as const,
    owner_id: ownerId,
    production: overrides.production ?? false,
    classification:
      overrides.classification === undefined ? ("internal" as const) : overrides.classification,
    customer_data: overrides.customerData ?? false,
    allowed_roles: overrides.allowedRoles ?? [],
    admin_roles: overrides.adminRoles ?? [],
    backed_up: false,
    scanned: false,
    internet_facing: false,
  };
  const id = await withTenant(org.t.deps.db, org.id, async (tx) => {
    const row = await tx
      .insertInto("systems")
      .values({ organization_id: org.id, ...attributes, created_at: validFrom })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("system_versions")
      .values({ organization_id: org.id, system_id: row.id, valid_from: validFrom, ...attributes })
      .execute();
    return row.id;
  });
  return { id, name };
}

/**
 * Changes a system's attributes from `at` on, as the systems area would: closes the open
 * version then and opens one with the changes (SQL, like accessSystem).
 */
export async function changeAccessSystem(
  org: Org,
  systemId: string,
  changes: {
    allowedRoles?: string[];
    adminRoles?: string[];
    customerData?: boolean;
    production?: boolean;
  },
  at = new Date(),
) {
  await withTenant(org.t.deps.db, org.id, async (tx) => {
    await sql`
      with closed as (
        update system_versions set valid_to = ${at}
        where system_id = ${systemId} and valid_to is null returning *)
      insert into system_versions (organization_id, system_id, valid_from, name, kind, owner_id,
        production, classification, customer_data, backed_up, scanned, internet_facing,
        allowed_roles, admin_roles, review_period_days, archived)
      select organization_id, system_id, ${at}, name, kind, owner_id,
        coalesce(${changes.production ?? null}::boolean, production), classification,
        coalesce(${changes.customerData ?? null}::boolean, customer_data), backed_up, scanned,
        internet_facing, coalesce(${changes.allowedRoles ?? null}::text[], allowed_roles),
        coalesce(${changes.adminRoles ?? null}::text[], admin_roles), review_period_days, archived
      from closed`.execute(tx);
    await sql`
      update systems s set production = v.production, customer_data = v.customer_data,
        allowed_roles = v.allowed_roles, admin_roles = v.admin_roles
      from system_versions v where v.system_id = s.id and v.valid_to is null and s.id = ${systemId}`.execute(
      tx,
    );
  });
  await reevaluate(org.t.deps.db, org.id);
}

/** A role rule: a job role implies a system role on a system. */
export async function roleRule(
  org: Org,
  overrides: { jobRole?: string; systemId?: string; systemRole?: string; admin?: boolean } = {},
) {
  const systemId = overrides.systemId ?? (await accessSystem(org)).id;
  const created = body(
    await org.owner.client.post("/api/v1/role-rules", {
      jobRole: overrides.jobRole ?? "Engineer",
      systemId,
      systemRole: overrides.systemRole ?? "user",
      admin: overrides.admin ?? false,
    }),
    "role rule",
    201,
  );
  return { id: created.id as string, systemId };
}

/** An active grant given by hand (by default to the owner's person, on a new system). */
export async function grant(
  org: Org,
  overrides: {
    personId?: string;
    systemId?: string;
    systemRole?: string;
    admin?: boolean;
    grantedAt?: string;
    exception?: { reason: string; expiresAt: string };
  } = {},
) {
  const personId = overrides.personId ?? (await ownerPersonId(org));
  const systemId = overrides.systemId ?? (await accessSystem(org)).id;
  const created = body(
    await org.owner.client.post("/api/v1/access-grants", {
      personId,
      systemId,
      systemRole: overrides.systemRole ?? "user",
      admin: overrides.admin ?? false,
      ...(overrides.grantedAt ? { grantedAt: overrides.grantedAt } : {}),
      ...(overrides.exception ? { exception: overrides.exception } : {}),
    }),
    "grant",
    201,
  );
  return { id: created.id as string, personId, systemId };
}

/** An account on a system: linked to a person, a service account, shared or unlinked. */
export async function account(
  org: Org,
  overrides: {
    systemId?: string;
    username?: string;
    personId?: string;
    service?: boolean;
    ownerId?: string;
    shared?: boolean;
  } = {},
) {
  const systemId = overrides.systemId ?? (await accessSystem(org)).id;
  const username = overrides.username ?? `user-${next()}`;
  const created = body(
    await org.owner.client.post("/api/v1/accounts", {
      systemId,
      username,
      ...(overrides.personId ? { personId: overrides.personId } : {}),
      ...(overrides.service ? { service: true } : {}),
      ...(overrides.ownerId ? { ownerId: overrides.ownerId } : {}),
      ...(overrides.shared ? { shared: true } : {}),
    }),
    "account",
    201,
  );
  return { id: created.id as string, systemId, username };
}
