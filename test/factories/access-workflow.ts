import { sql } from "kysely";
import { withTenant } from "../../src/db/tenant.ts";
import type { Org } from "../factories.ts";
import { uniqueEmail } from "../helpers/app.ts";
import { factoryBody as body, personIdOfUser } from "./shared.ts";
import { system } from "./systems.ts";

/**
 * Factories of the access workflow: access requests for systems and access tasks. Until the
 * grants routes are on this branch, role rules, grants and accounts are made here by SQL
 * (`sqlRoleRule`, `sqlGrant`, `sqlAccount`), in this one file.
 */

let sequence = 0;
function next() {
  sequence++;
  return `${sequence}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A system of the inventory (the systems factory), owned by `ownerId` (a person). */
export async function ownedSystem(org: Org, input: { ownerId: string | null; name?: string }) {
  return system(org, { ownerId: input.ownerId, ...(input.name ? { name: input.name } : {}) });
}

/** A role rule: job role → system role (by SQL). */
export async function sqlRoleRule(
  org: Org,
  input: { jobRole: string; systemId: string; systemRole?: string; admin?: boolean },
) {
  return withTenant(org.t.deps.db, org.id, async (tx) => {
    const row = await sql<{ id: string }>`
      insert into role_rules (organization_id, job_role, system_id, system_role, admin)
      values (${org.id}, ${input.jobRole}, ${input.systemId}, ${input.systemRole ?? "user"},
        ${input.admin ?? false})
      returning id`.execute(tx);
    return (row.rows[0] as { id: string }).id;
  });
}

/** An active grant (by SQL), granted at `grantedAt` (default: a year ago). */
export async function sqlGrant(
  org: Org,
  input: {
    personId: string;
    systemId: string;
    systemRole?: string;
    basis?: string;
    roleRuleId?: string;
    grantedAt?: Date;
  },
) {
  return withTenant(org.t.deps.db, org.id, async (tx) => {
    const row = await sql<{ id: string }>`
      insert into access_grants (organization_id, system_id, person_id, system_role, basis,
        role_rule_id, granted_at, created_at)
      values (${org.id}, ${input.systemId}, ${input.personId}, ${input.systemRole ?? "user"},
        ${input.basis ?? "manual"}, ${input.roleRuleId ?? null},
        ${input.grantedAt ?? new Date(Date.now() - 365 * 86_400_000)},
        ${input.grantedAt ?? new Date(Date.now() - 365 * 86_400_000)})
      returning id`.execute(tx);
    return (row.rows[0] as { id: string }).id;
  });
}

/** An account on a system linked to a person (by SQL), created a year ago. */
export async function sqlAccount(
  org: Org,
  input: { personId: string; systemId: string; username?: string; service?: boolean },
) {
  const at = new Date(Date.now() - 365 * 86_400_000);
  return withTenant(org.t.deps.db, org.id, async (tx) => {
    const row = await sql<{ id: string }>`
      insert into accounts (organization_id, system_id, username, person_id, service, linked_at,
        created_at)
      values (${org.id}, ${input.systemId}, ${input.username ?? `user-${next()}`},
        ${input.personId}, ${input.service ?? false}, ${at}, ${at})
      returning id`.execute(tx);
    return (row.rows[0] as { id: string }).id;
  });
}

/** A person through the API (the lifecycle runs), answering their id. */
export async function apiPerson(
  org: Org,
  input: { jobRole?: string; startDate?: string; endDate?: string; name?: string } = {},
) {
  const created = body(
    await org.owner.client.post("/api/v1/people", {
      name: input.name ?? `Person ${next()}`,
      email: uniqueEmail("person"),
      startDate: input.startDate ?? "2025-01-01",
      ...(input.jobRole ? { jobRole: input.jobRole } : {}),
      ...(input.endDate ? { endDate: input.endDate } : {}),
    }),
    "person",
    201,
  );
  return created.id as string;
}

/**
 * An access request for a system, asked by the organization's owner for a person (a new one
 * by default) on a system (a new one owned by the owner's person by default).
 */
export async function systemAccessRequest(
  org: Org,
  overrides: { personId?: string; systemId?: string; systemRole?: string; reason?: string } = {},
) {
  const systemId =
    overrides.systemId ??
    (await ownedSystem(org, { ownerId: await personIdOfUser(org.owner.client, org.owner.id) })).id;
  const personId = overrides.personId ?? (await apiPerson(org));
  const created = body(
    await org.owner.client.post("/api/v1/access-requests", {
      personId,
      systemId,
      systemRole: overrides.systemRole ?? "user",
      reason: overrides.reason ?? "Needs it for the job.",
    }),
    "access request",
    201,
  );
  return { id: created.id as string, personId, systemId };
}

/**
 * An open access task: a joiner's grant task from a role rule, on a system owned by the
 * organization owner's person. Answers the task's id and what it is about.
 */
export async function accessTask(org: Org, overrides: { systemId?: string } = {}) {
  const systemId =
    overrides.systemId ??
    (await ownedSystem(org, { ownerId: await personIdOfUser(org.owner.client, org.owner.id) })).id;
  const jobRole = `Role ${next()}`;
  await sqlRoleRule(org, { jobRole, systemId });
  const personId = await apiPerson(org, { jobRole });
  const tasks = body(
    await org.owner.client.get(`/api/v1/access-tasks?personId=${personId}`),
    "access tasks",
    200,
  );
  const task = tasks.items[0];
  if (!task) throw new Error("factory accessTask: the joiner opened no task");
  return { id: task.id as string, personId, systemId, grantId: task.grant.id as string };
}
