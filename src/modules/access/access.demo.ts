import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays } from "../../domain/dates.ts";
import type { DemoContext, DemoPerson } from "../area.ts";
import { LATE_LEAVER } from "../people/people.demo.ts";
import { type DemoSystem, demoSystems } from "../systems/systems.demo.ts";
import { systemsAsOf } from "../systems/systems.queries.ts";
import { type DemoAccess, seedDemoAccessStory } from "./access.demo-story.ts";
import { seedDemoKeys } from "./access.keys.demo.ts";

/**
 * The demo's year of access. Role rules for every system; each person holds the grants their
 * job role implies from their start (or from when the system entered the inventory), with an
 * account on each system they use. Joiners of the year got theirs through tasks their system
 * owners completed on the first day; leavers' grants and accounts were revoked the morning of
 * their end date through revocation tasks — except one, revoked six days late, so terminated-access-
 * removed fails for a reason a user can open. Role changes revoke what the old role implied
 * and grant what the new one does. The story's few records (requests, an exception, service
 * accounts, one unlinked account) are in access.demo-story.ts.
 */
const HOUR = 3_600_000;

function later(a: Date, b: Date): Date {
  return a > b ? a : b;
}

function at(day: string, hours: number): Date {
  return new Date(new Date(`${day}T00:00:00Z`).getTime() + hours * HOUR);
}

export async function seedDemoAccess(db: Kysely<Database>, demo: DemoContext) {
  const specs = new Map(demoSystems(demo.size).map((s) => [s.name, s]));
  const systems = await withTenant(db, demo.organizationId, (tx) =>
    systemsAsOf(tx, demo.now).execute(),
  );
  const userOf = new Map(demo.people.map((p) => [p.id, p.userId]));
  const data: DemoAccess = { rules: [], grants: [], accounts: [], tasks: [], requests: [] };
  const ruleIds = new Map<string, string>();
  const sinceOf = new Map<string, Date>();
  const ownerOf = new Map<string, { personId: string; userId: string | null }>();
  for (const system of systems) {
    const spec = specs.get(system.name) as DemoSystem;
    const since = addDays(demo.now, -spec.since);
    sinceOf.set(system.id, since);
    ownerOf.set(system.id, {
      personId: system.owner_id as string,
      userId: userOf.get(system.owner_id as string) ?? null,
    });
    for (const [jobRole, systemRole, admin] of spec.rules) {
      const id = randomUUID();
      ruleIds.set(`${system.id}\u0000${jobRole}`, id);
      data.rules.push({
        id,
        organization_id: demo.organizationId,
        job_role: jobRole,
        system_id: system.id,
        system_role: systemRole,
        admin,
        created_at: since,
        created_by: demo.owner.userId,
      });
    }
  }
  const rulesOf = new Map<string, { systemId: string; role: string; admin: boolean }[]>();
  for (const system of systems) {
    for (const [jobRole, role, admin] of (specs.get(system.name) as DemoSystem).rules) {
      rulesOf.set(jobRole, [...(rulesOf.get(jobRole) ?? []), { systemId: system.id, role, admin }]);
    }
  }

  const late = lateLeaver(demo);
  const productionIds = new Set(systems.filter((s) => s.production).map((s) => s.id));
  const revocationDays = 3;
  for (const person of demo.people) {
    const start = at(person.startDate, 9);
    const joiner = start >= demo.programStart;
    const change = person.roleChange;
    const segments = change
      ? [
          { role: change.from, from: start, to: change.at as Date | null },
          { role: person.jobRole, from: change.at, to: null },
        ]
      : [{ role: person.jobRole, from: start, to: null as Date | null }];
    const end = person.endDate ? at(person.endDate, 10) : null; // the morning of the end date
    // grant key → the open grant, carried across a role change when both roles imply it
    const open = new Map<string, (typeof data.grants)[number]>();
    segments.forEach((segment, index) => {
      const wanted = rulesOf.get(segment.role) ?? [];
      const keys = new Set(wanted.map((w) => `${w.systemId}\u0000${w.role}\u0000${w.admin}`));
      if (index > 0) {
        for (const [key, grant] of open) {
          if (keys.has(key)) continue;
          const when = segment.from;
          revoke(data, grant, ownerOf, demo, {
            when,
            reason: "role_change",
            why: "job role changed",
            created: when,
            due: addDays(when, 7),
          });
          open.delete(key);
        }
      }
      for (const w of wanted) {
        const key = `${w.systemId}\u0000${w.role}\u0000${w.admin}`;
        if (open.has(key)) continue;
        const since = sinceOf.get(w.systemId) as Date;
        const byTask = index > 0 || joiner;
        let grantedAt = index > 0 ? new Date(segment.from.getTime() + 24 * HOUR) : start;
        if (since > grantedAt) grantedAt = since;
        if (end && grantedAt >= end) continue;
        const owner = ownerOf.get(w.systemId) as { personId: string; userId: string | null };
        const grant = {
          id: randomUUID(),
          organization_id: demo.organizationId,
          system_id: w.systemId,
          person_id: person.id,
          system_role: w.role,
          admin: w.admin,
          basis: "role_rule" as const,
          role_rule_id: ruleIds.get(`${w.systemId}\u0000${segment.role}`) ?? null,
          created_at: byTask ? new Date(grantedAt.getTime() - 5 * 24 * HOUR) : grantedAt,
          created_by: demo.owner.userId,
          granted_at: grantedAt,
          granted_by: owner.userId,
          revoked_at: null as Date | null,
          revoked_by: null as string | null,
          revoke_reason: null as string | null,
        };
        data.grants.push(grant);
        open.set(key, grant);
        if (byTask && grant.created_at > since) {
          data.tasks.push({
            organization_id: demo.organizationId,
            kind: "grant",
            reason: index > 0 ? "role_change" : "joiner",
            system_id: w.systemId,
            person_id: person.id,
            grant_id: grant.id,
            account_id: null,
            assignee_id: owner.personId,
            due_at: addDays(grant.created_at, 5),
            created_at: grant.created_at,
            completed_at: grantedAt,
            completed_by: owner.userId,
          });
        }
      }
    });
    if (end && person.endDate) {
      const endDay = at(person.endDate, 0);
      if (late && late.person === person) {
        const held = [...open.values()];
        const pick = held.find((g) => productionIds.has(g.system_id)) ?? held[0];
        late.systemId = pick?.system_id ?? "";
      }
      for (const grant of open.values()) {
        const isLate = late && late.person === person && grant.system_id === late.systemId;
        revoke(data, grant, ownerOf, demo, {
          // The morning of the end date; the late one six days after it.
          when: isLate ? new Date(endDay.getTime() + (6 * 24 + 11) * HOUR) : end,
          reason: "leaver",
          why: "left the company",
          created: addDays(endDay, -7),
          due: addDays(endDay, revocationDays),
        });
      }
    }
  }
  addAccounts(data, demo);
  await seedDemoAccessStory(db, demo, data, { systems, ownerOf, sinceOf, late });
  await seedDemoKeys(db, demo, data, systems, ownerOf);
}

/** The leaver whose last grant was revoked six days after their end date. */
export function lateLeaver(demo: DemoContext) {
  const person = demo.people[LATE_LEAVER];
  return person?.endDate ? { person, systemId: "" } : null;
}

function revoke(
  data: DemoAccess,
  grant: DemoAccess["grants"][number],
  ownerOf: Map<string, { personId: string; userId: string | null }>,
  demo: DemoContext,
  how: { when: Date; reason: "leaver" | "role_change"; why: string; created: Date; due: Date },
) {
  const owner = ownerOf.get(grant.system_id) as { personId: string; userId: string | null };
  const granted = grant.granted_at as Date;
  grant.revoked_at = later(how.when, granted);
  grant.revoked_by = owner.userId;
  grant.revoke_reason = how.why;
  data.tasks.push({
    organization_id: demo.organizationId,
    kind: "revoke",
    reason: how.reason,
    system_id: grant.system_id,
    person_id: grant.person_id,
    grant_id: grant.id,
    account_id: null,
    assignee_id: owner.personId,
    due_at: how.due,
    created_at: later(how.created, granted),
    completed_at: grant.revoked_at,
    completed_by: owner.userId,
  });
}

/** One account per person on each system they held a grant on, removed with their last grant. */
function addAccounts(data: DemoAccess, demo: DemoContext) {
  const byPersonSystem = new Map<string, DemoAccess["grants"]>();
  for (const grant of data.grants) {
    const key = `${grant.person_id}\u0000${grant.system_id}`;
    byPersonSystem.set(key, [...(byPersonSystem.get(key) ?? []), grant]);
  }
  const people = new Map<string, DemoPerson>(demo.people.map((p) => [p.id, p]));
  const revokeTaskOf = new Map(
    data.tasks.filter((t) => t.kind === "revoke").map((t) => [t.grant_id, t]),
  );
  for (const grants of byPersonSystem.values()) {
    const first = grants[0] as DemoAccess["grants"][number];
    const person = people.get(first.person_id) as DemoPerson;
    const created = new Date(Math.min(...grants.map((g) => (g.granted_at as Date).getTime())));
    const stillHeld = grants.some((g) => g.revoked_at === null);
    const removed = stillHeld
      ? null
      : new Date(Math.max(...grants.map((g) => (g.revoked_at as Date).getTime())));
    const lastLogin = removed
      ? new Date(removed.getTime() - 30 * HOUR)
      : new Date(demo.now.getTime() - Math.floor(demo.random() * 20 * 24) * HOUR);
    const id = randomUUID();
    data.accounts.push({
      id,
      organization_id: demo.organizationId,
      system_id: first.system_id,
      username: person.email,
      email: person.email,
      person_id: person.id,
      service: false,
      linked_at: created,
      last_login_at: lastLogin < created ? created : lastLogin,
      created_at: created,
      created_by: demo.owner.userId,
      removed_at: removed,
      removed_by: removed ? first.revoked_by : null,
    });
    // Removing the account was part of the same revocation work.
    const last = grants.find((g) => g.revoked_at?.getTime() === removed?.getTime());
    const task = removed && last ? revokeTaskOf.get(last.id) : undefined;
    if (task) data.tasks.push({ ...task, grant_id: null, account_id: id, completed_at: removed });
  }
}
