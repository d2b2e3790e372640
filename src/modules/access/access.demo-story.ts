import { randomUUID } from "node:crypto";
import type { Insertable, Kysely } from "kysely";
import type {
  AccessGrantsTable,
  AccessRequestsTable,
  AccessTasksTable,
  AccountsTable,
  RoleRulesTable,
} from "../../db/tables/access.ts";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays } from "../../domain/dates.ts";
import type { DemoContext, DemoPerson } from "../area.ts";

/** The demo's access records, built in memory and written in batches. */
export interface DemoAccess {
  rules: (Insertable<RoleRulesTable> & { id: string })[];
  grants: (Insertable<AccessGrantsTable> & {
    id: string;
    system_id: string;
    person_id: string;
    granted_at: Date | null;
    revoked_at: Date | null;
    revoked_by: string | null;
  })[];
  accounts: (Insertable<AccountsTable> & { id: string })[];
  tasks: Insertable<AccessTasksTable>[];
  requests: (Insertable<AccessRequestsTable> & { id: string })[];
}

interface Seeded {
  systems: { id: string; name: string; production: boolean }[];
  ownerOf: Map<string, { personId: string; userId: string | null }>;
  sinceOf: Map<string, Date>;
  late: { person: DemoPerson; systemId: string } | null;
}

const BATCH = 2000;

/**
 * The story's few records: access requests (three approved and carried out, one approved two
 * days ago whose task is open, one pending, one denied), one exception (a finance person on the
 * CRM for the audit, expiring in 45 days), two service accounts with owners, and one account
 * nobody has claimed on the production API (unique-access-ids fails until someone links it).
 * Then everything is written, in batches, and told to the audit trail.
 */
export async function seedDemoAccessStory(
  db: Kysely<Database>,
  demo: DemoContext,
  data: DemoAccess,
  seeded: Seeded,
) {
  const systemNamed = (name: string) => seeded.systems.find((s) => s.name === name);
  const used = new Set<string>();
  const pick = (roles: string[]) => {
    const person = demo.people.find(
      (p, i) =>
        i >= 4 &&
        p.endDate === null &&
        !p.roleChange &&
        !used.has(p.id) &&
        roles.includes(p.jobRole) &&
        new Date(`${p.startDate}T00:00:00Z`) < addDays(demo.now, -120),
    );
    if (person) used.add(person.id);
    return person;
  };
  const request = (
    person: DemoPerson | undefined,
    systemName: string,
    systemRole: string,
    reason: string,
    daysAgo: number,
    outcome: "carried_out" | "approved" | "pending" | "denied",
  ) => {
    const system = systemNamed(systemName);
    if (!person || !system) return;
    const owner = seeded.ownerOf.get(system.id) as { personId: string; userId: string | null };
    const requestedAt = addDays(demo.now, -daysAgo);
    const decidedAt = outcome === "pending" ? null : addDays(requestedAt, 1);
    const id = randomUUID();
    data.requests.push({
      id,
      organization_id: demo.organizationId,
      person_id: person.id,
      system_id: system.id,
      system_role: systemRole,
      reason,
      requested_by: person.userId,
      requested_at: requestedAt,
      status: outcome === "pending" ? "pending" : outcome === "denied" ? "denied" : "approved",
      decided_by: decidedAt ? owner.userId : null,
      decided_at: decidedAt,
      decision_comment:
        outcome === "denied" ? "Not needed for the role: the CRM's reports have this." : null,
    });
    event(demo, requestedAt, person, "access_request.created", "access_request", id);
    if (!decidedAt) return;
    event(
      demo,
      decidedAt,
      demo.owner,
      `access_request.${outcome === "denied" ? "denied" : "approved"}`,
      "access_request",
      id,
    );
    if (outcome === "denied") return;
    const grantedAt = outcome === "carried_out" ? addDays(decidedAt, 1) : null;
    const grantId = randomUUID();
    data.grants.push({
      id: grantId,
      organization_id: demo.organizationId,
      system_id: system.id,
      person_id: person.id,
      system_role: systemRole,
      admin: false,
      basis: "request",
      access_request_id: id,
      created_at: decidedAt,
      created_by: owner.userId,
      granted_at: grantedAt,
      granted_by: grantedAt ? owner.userId : null,
      revoked_at: null,
      revoked_by: null,
    });
    data.tasks.push({
      organization_id: demo.organizationId,
      kind: "grant",
      reason: "request",
      system_id: system.id,
      person_id: person.id,
      grant_id: grantId,
      assignee_id: owner.personId,
      due_at: addDays(decidedAt, 5),
      created_at: decidedAt,
      completed_at: grantedAt,
      completed_by: grantedAt ? owner.userId : null,
    });
    if (grantedAt) {
      event(demo, grantedAt, demo.owner, "access_grant.granted", "access_grant", grantId);
      if (!data.accounts.some((a) => a.person_id === person.id && a.system_id === system.id)) {
        data.accounts.push(account(demo, system.id, person, grantedAt));
      }
    }
  };
  request(
    pick(["Product"]),
    "Monitoring (Grafana)",
    "viewer",
    "Following the error rates of the features I own.",
    80,
    "carried_out",
  );
  request(
    pick(["Design"]),
    "GitHub",
    "member",
    "Reviewing front-end pull requests with the team.",
    60,
    "carried_out",
  );
  request(
    pick(["Sales"]),
    "Support desk",
    "light-agent",
    "Seeing the tickets of my accounts before renewals.",
    30,
    "carried_out",
  );
  request(
    pick(["Operations", "Product"]),
    "Monitoring (Grafana)",
    "viewer",
    "On-call rota for the status page.",
    2,
    "approved",
  );
  request(
    pick(["Marketing", "Sales"]),
    "Support desk",
    "light-agent",
    "Quotes from customers for case studies.",
    1,
    "pending",
  );
  request(
    pick(["Sales", "Marketing"]),
    "Customer database (PostgreSQL)",
    "readonly",
    "Exporting usage numbers for a customer.",
    40,
    "denied",
  );

  // One exception: a finance person on the CRM (customer data, not their role) for the audit.
  const crm = systemNamed("CRM");
  const auditor = pick(["Finance", "People", "Operations"]);
  if (crm && auditor) {
    const approvedAt = addDays(demo.now, -45);
    const id = randomUUID();
    data.grants.push({
      id,
      organization_id: demo.organizationId,
      system_id: crm.id,
      person_id: auditor.id,
      system_role: "billing-viewer",
      admin: false,
      basis: "exception",
      exception_reason: "Reconciling invoices with closed deals for the annual financial audit.",
      exception_expires_at: addDays(demo.now, 45),
      exception_approved_by: demo.owner.userId,
      exception_approved_at: approvedAt,
      created_at: approvedAt,
      created_by: demo.owner.userId,
      granted_at: approvedAt,
      granted_by: demo.owner.userId,
      revoked_at: null,
      revoked_by: null,
    });
    data.accounts.push(account(demo, crm.id, auditor, approvedAt));
    event(demo, approvedAt, demo.owner, "access_grant.exception_approved", "access_grant", id);
  }

  // Two service accounts with owners, and one account nobody has claimed yet.
  const founder = demo.people[1] ?? demo.people[0];
  const service = (name: string, username: string, owner: DemoPerson | undefined) => {
    const system = systemNamed(name);
    if (!system || !owner) return;
    const created = addDays(seeded.sinceOf.get(system.id) as Date, 2);
    data.accounts.push({
      ...account(demo, system.id, owner, created),
      username,
      email: null,
      service: true,
    });
  };
  service("AWS production account", "ci-deploy", founder);
  service("Customer database (PostgreSQL)", "backup-agent", demo.people[0]);
  const api = systemNamed("Production API");
  if (api) {
    const created = addDays(demo.now, -20);
    data.accounts.push({
      ...account(demo, api.id, demo.people[0] as DemoPerson, created),
      username: "deploy-temp",
      email: null,
      person_id: null,
      linked_at: null,
    });
  }
  tellTheYear(demo, data, seeded);
  await write(db, demo, data);
}

function account(demo: DemoContext, systemId: string, person: DemoPerson, created: Date) {
  return {
    id: randomUUID(),
    organization_id: demo.organizationId,
    system_id: systemId,
    username: person.email,
    email: person.email as string | null,
    person_id: person.id as string | null,
    service: false,
    linked_at: created as Date | null,
    last_login_at: addDays(demo.now, -1),
    created_at: created,
    created_by: demo.owner.userId,
  };
}

function event(
  demo: DemoContext,
  at: Date,
  actor: { userId: string; name: string },
  action: string,
  targetType: string,
  targetId: string,
) {
  demo.event({
    at,
    actor: { userId: actor.userId, name: actor.name },
    action,
    targetType,
    targetId,
  });
}

/** The year's grants and revocations (not the access everyone had before the program). */
function tellTheYear(demo: DemoContext, data: DemoAccess, seeded: Seeded) {
  const names = new Map(demo.people.map((p) => [p.userId, p.name]));
  const actor = (userId: string | null | undefined) =>
    userId ? { userId, name: names.get(userId) ?? demo.owner.name } : demo.owner;
  for (const grant of data.grants) {
    if (grant.basis !== "role_rule") continue;
    const since = seeded.sinceOf.get(grant.system_id) as Date;
    if (grant.granted_at && grant.granted_at > since && grant.granted_at > demo.programStart) {
      event(
        demo,
        grant.granted_at,
        actor(grant.granted_by),
        "access_grant.granted",
        "access_grant",
        grant.id,
      );
    }
    if (grant.revoked_at) {
      event(
        demo,
        grant.revoked_at,
        actor(grant.revoked_by),
        "access_grant.revoked",
        "access_grant",
        grant.id,
      );
    }
  }
  for (const account of data.accounts) {
    if (account.removed_at) {
      event(
        demo,
        account.removed_at as Date,
        actor(account.removed_by),
        "account.removed",
        "account",
        account.id,
      );
    }
  }
  for (const system of seeded.systems) {
    event(
      demo,
      addDays(seeded.sinceOf.get(system.id) as Date, 1),
      demo.owner,
      "access.imported",
      "system",
      system.id,
    );
  }
}

async function write(db: Kysely<Database>, demo: DemoContext, data: DemoAccess) {
  demo.progress(`access: ${data.grants.length} grants, ${data.accounts.length} accounts`);
  await withTenant(db, demo.organizationId, async (tx) => {
    const batches = async <T>(rows: T[], insert: (batch: T[]) => Promise<unknown>) => {
      for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
    };
    await batches(data.rules, (b) => tx.insertInto("role_rules").values(b).execute());
    await batches(data.requests, (b) => tx.insertInto("access_requests").values(b).execute());
    await batches(data.grants, (b) => tx.insertInto("access_grants").values(b).execute());
    await batches(data.accounts, (b) => tx.insertInto("accounts").values(b).execute());
    await batches(data.tasks, (b) => tx.insertInto("access_tasks").values(b).execute());
  });
  demo.counts.roleRules = data.rules.length;
  demo.counts.grants = data.grants.length;
  demo.counts.accounts = data.accounts.length;
  demo.counts.accessTasks = data.tasks.length;
  demo.counts.accessRequests = data.requests.length;
}
