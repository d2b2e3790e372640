import { type Kysely, sql } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays } from "../../domain/dates.ts";
import type { DemoContext, DemoPerson } from "../area.ts";

/**
 * The demo people's org chart and history: teams of about eight under a lead per job role,
 * the leads under the first founder; one in thirteen a contractor; each person's dated job
 * role (person_job_roles) from their start, and a few role changes during the year (small:
 * two; large: one in a hundred), so the access checks see the role each person held each day.
 */
const TEAM = 8;
const ROLE_MOVES: Record<string, string> = {
  Engineer: "Product",
  "Customer Success": "Sales",
  Sales: "Customer Success",
  Design: "Product",
  Marketing: "Sales",
  Operations: "Finance",
  Product: "Engineer",
};

export async function seedDemoPeopleHistory(db: Kysely<Database>, demo: DemoContext) {
  const people = demo.people;
  const founder = people[1] ?? people[0];
  if (!founder) return;
  const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
  const isActive = (p: DemoPerson) => p.endDate === null;

  // Role changes: long-standing, still here, not a founder.
  const movers = people.filter(
    (p, i) =>
      i >= 4 &&
      isActive(p) &&
      ROLE_MOVES[p.jobRole] !== undefined &&
      day(p.startDate) < addDays(demo.now, -240) &&
      (demo.size === "small" ? true : i % 100 === 17),
  );
  const chosen = demo.size === "small" ? movers.slice(0, 2) : movers;
  chosen.forEach((p, k) => {
    const at = addDays(demo.now, -(demo.size === "small" ? 120 + 40 * k : 30 + (k % 200)));
    at.setUTCHours(10, 0, 0, 0);
    p.roleChange = { from: p.jobRole, at };
    p.jobRole = ROLE_MOVES[p.jobRole] as string;
  });

  // Managers: within each job role (as of now), teams of eight active people under a lead.
  const managerOf = new Map<string, string>();
  const byRole = new Map<string, DemoPerson[]>();
  for (const p of people.slice(2)) {
    if (!isActive(p)) continue;
    byRole.set(p.jobRole, [...(byRole.get(p.jobRole) ?? []), p]);
  }
  for (const members of byRole.values()) {
    const head = members[0] as DemoPerson;
    managerOf.set(head.id, founder.id);
    members.forEach((p, k) => {
      if (k === 0) return;
      const lead = members[Math.floor(k / TEAM) * TEAM] as DemoPerson;
      managerOf.set(p.id, lead.id === p.id ? head.id : lead.id);
    });
  }
  const owner = people[0];
  if (owner && owner.id !== founder.id) managerOf.set(owner.id, founder.id);

  await withTenant(db, demo.organizationId, async (tx) => {
    const rows = people.map((p, i) => ({
      id: p.id,
      managerId: managerOf.get(p.id) ?? null,
      contractor: i >= 4 && i % 13 === 7,
      role: p.jobRole,
    }));
    for (let i = 0; i < rows.length; i += 1000) {
      const values = rows
        .slice(i, i + 1000)
        .map(
          (r) =>
            sql`(${r.id}::uuid, ${r.managerId}::uuid, ${r.contractor ? "contractor" : "employee"}, ${r.role})`,
        );
      await sql`
        UPDATE people SET manager_id = v.manager_id, employment_type = v.employment_type,
          job_role = v.job_role
        FROM (VALUES ${sql.join(values)}) AS v(id, manager_id, employment_type, job_role)
        WHERE people.id = v.id`.execute(tx);
    }
    // Each person's role from their start; the movers' first role ends when they moved.
    await sql`
      INSERT INTO person_job_roles (organization_id, person_id, job_role, valid_from)
      SELECT p.organization_id, p.id, p.job_role, p.start_date::timestamptz
      FROM people p
      WHERE p.organization_id = ${demo.organizationId}
        AND NOT EXISTS (SELECT 1 FROM person_job_roles r WHERE r.person_id = p.id)`.execute(tx);
    // The owner was listed at sign-up, before the demo gave them a role and a start date.
    await sql`
      UPDATE person_job_roles r SET job_role = p.job_role,
        valid_from = least(r.valid_from, p.start_date::timestamptz)
      FROM people p
      WHERE r.person_id = p.id AND p.organization_id = ${demo.organizationId}
        AND r.valid_to IS NULL AND r.job_role IS DISTINCT FROM p.job_role`.execute(tx);
    for (let i = 0; i < chosen.length; i += 1000) {
      const values = chosen.slice(i, i + 1000).map((p) => {
        const change = p.roleChange as { from: string; at: Date };
        return sql`(${p.id}::uuid, ${change.from}, ${change.at}::timestamptz)`;
      });
      await sql`
        WITH v(id, from_role, at) AS (VALUES ${sql.join(values)})
        INSERT INTO person_job_roles (organization_id, person_id, job_role, valid_from, valid_to)
        SELECT ${demo.organizationId}::uuid, p.id, v.from_role, p.start_date::timestamptz, v.at
        FROM v JOIN people p ON p.id = v.id`.execute(tx);
      await sql`
        WITH v(id, from_role, at) AS (VALUES ${sql.join(values)})
        UPDATE person_job_roles r SET valid_from = v.at
        FROM v WHERE r.person_id = v.id AND r.valid_to IS NULL`.execute(tx);
    }
  });
  for (const p of chosen) {
    const change = p.roleChange as { from: string; at: Date };
    demo.event({
      at: change.at,
      actor: demo.owner,
      action: "person.updated",
      targetType: "person",
      targetId: p.id,
      before: { jobRole: change.from },
      after: { jobRole: p.jobRole },
    });
  }
  demo.counts.roleChanges = chosen.length;
  demo.counts.contractors = people.filter((_, i) => i >= 4 && i % 13 === 7).length;
}
