import { sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import type { Person } from "../../db/types.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import type { ImportProblem } from "../../platform/csv.ts";
import { personChanged } from "../access/access.lifecycle.service.ts";
import { type AuditEntry, applyChange, type ChangeScope } from "../change.ts";
import {
  type ImportPlan,
  MAX_LISTED_PROBLEMS,
  planPeopleImport,
  presentPlan,
} from "./people.import.ts";
import { recordJobRole } from "./people.job-roles.ts";
import { personSnapshot } from "./people.service.ts";

/**
 * CSV import of people, part two: the preview, and the commit — all or nothing, in one change,
 * with batched writes; a file that changes nothing writes nothing (not even an audit event).
 */

/** Rows per INSERT or UPDATE statement (well under PostgreSQL's 65,535 parameters). */
const BATCH = 1000;

export async function previewPeopleImport(ctx: Context, text: string) {
  const stored = await withTenant(ctx.db, ctx.organizationId, storedPeople);
  return presentPlan(planPeopleImport(text, stored));
}

export type ImportOutcome =
  | { ok: true; rows: number; created: number; updated: number; unchanged: number }
  | { ok: false; problems: ImportProblem[]; problemCount: number };

class ImportRefused extends Error {
  constructor(readonly plan: ImportPlan) {
    super("the file has problems");
  }
}

function refusal(plan: ImportPlan): ImportOutcome {
  return {
    ok: false,
    problems: plan.problems.slice(0, MAX_LISTED_PROBLEMS),
    problemCount: plan.problems.length,
  };
}

function counts(plan: ImportPlan): ImportOutcome {
  return {
    ok: true,
    rows: plan.count,
    created: plan.creates.length,
    updated: plan.updates.length,
    unchanged: plan.unchanged.length,
  };
}

export async function commitPeopleImport(ctx: Context, text: string): Promise<ImportOutcome> {
  const first = planPeopleImport(text, await withTenant(ctx.db, ctx.organizationId, storedPeople));
  if (first.problems.length > 0) return refusal(first);
  if (first.creates.length + first.updates.length === 0) return counts(first);
  try {
    return await applyChange(ctx, ["people", "access"], async (scope) => {
      // Planned again under lock: what was checked is what is written.
      await sql`SELECT id FROM people FOR UPDATE`.execute(scope.tx);
      const plan = planPeopleImport(text, await storedPeople(scope.tx));
      if (plan.problems.length > 0) throw new ImportRefused(plan);
      await writePlan(ctx, scope, plan);
      return counts(plan);
    });
  } catch (error) {
    if (error instanceof ImportRefused) return refusal(error.plan);
    throw error;
  }
}

function storedPeople(tx: Tx): Promise<Person[]> {
  return tx.selectFrom("people").selectAll().execute();
}

async function writePlan(ctx: Context, scope: ChangeScope, plan: ImportPlan) {
  const { tx } = scope;
  const by = actorUserId(ctx.actor);
  const idOf = new Map<string, string>();
  for (const p of await storedPeople(tx)) idOf.set(p.email.toLowerCase(), p.id);

  // New people first (managers after, as a new person's manager may be new too).
  // Numbered here under the trigger's own lock, so its per-row lookup is not needed.
  await sql`SELECT pg_advisory_xact_lock(hashtext('people.number'), hashtext(${ctx.organizationId}))`.execute(
    tx,
  );
  const top = await tx
    .selectFrom("people")
    .select((eb) => eb.fn.max("number").as("n"))
    .executeTakeFirst();
  let number = Number(top?.n ?? 0);
  const created: Person[] = [];
  for (let i = 0; i < plan.creates.length; i += BATCH) {
    const rows = plan.creates.slice(i, i + BATCH).map(({ row }) => ({
      organization_id: ctx.organizationId,
      number: ++number,
      name: row.name,
      email: row.email,
      job_role: row.jobRole ?? null,
      employment_type: row.employmentType ?? "employee",
      start_date: row.startDate,
      end_date: row.endDate ?? null,
    }));
    created.push(...(await tx.insertInto("people").values(rows).returningAll().execute()));
  }
  for (const person of created) idOf.set(person.email, person.id);
  const createdByEmail = new Map(created.map((p) => [p.email, p]));
  for (let i = 0; i < created.length; i += BATCH) {
    await tx
      .insertInto("person_job_roles")
      .values(
        created.slice(i, i + BATCH).map((p) => ({
          organization_id: ctx.organizationId,
          person_id: p.id,
          job_role: p.job_role,
          valid_from: new Date(`${p.start_date}T00:00:00Z`),
          changed_by: by,
        })),
      )
      .execute();
  }

  // Then every change of a stored person, and the managers of the new ones, in batches.
  const managerId = (email: string | null | undefined, keep: string | null) =>
    email === undefined ? keep : email === null ? null : (idOf.get(email) ?? null);
  const sets = [
    ...plan.updates.map(({ row, existing }) => {
      const p = existing as Person;
      return {
        id: p.id,
        name: row.name,
        job_role: row.jobRole === undefined ? p.job_role : row.jobRole,
        employment_type: row.employmentType ?? p.employment_type,
        start_date: row.startDate,
        end_date: row.endDate === undefined ? p.end_date : row.endDate,
        manager_id: managerId(row.managerEmail, p.manager_id),
      };
    }),
    ...plan.creates
      .filter(({ row }) => row.managerEmail)
      .map(({ row }) => {
        const p = createdByEmail.get(row.email) as Person;
        return { ...p, manager_id: managerId(row.managerEmail, null) };
      }),
  ];
  for (let i = 0; i < sets.length; i += BATCH) {
    const values = sets
      .slice(i, i + BATCH)
      .map(
        (s) =>
          sql`(${s.id}::uuid, ${s.name}, ${s.job_role}, ${s.employment_type}, ${s.start_date}::date, ${s.end_date}::date, ${s.manager_id}::uuid)`,
      );
    await sql`
      UPDATE people SET name = v.name, job_role = v.job_role, employment_type = v.employment_type,
        start_date = v.start_date, end_date = v.end_date, manager_id = v.manager_id, updated_at = now()
      FROM (VALUES ${sql.join(values)}) AS v(id, name, job_role, employment_type, start_date, end_date, manager_id)
      WHERE people.id = v.id`.execute(tx);
  }

  const setOf = new Map(sets.map((s) => [s.id, s]));
  // A changed job role is dated history (rare in a re-import: one at a time is fine).
  for (const { existing, fields } of plan.updates) {
    if (!fields.includes("job_role")) continue;
    const p = existing as Person;
    const set = setOf.get(p.id);
    await recordJobRole(tx, {
      organizationId: ctx.organizationId,
      personId: p.id,
      jobRole: set?.job_role ?? null,
      at: new Date(),
      changedBy: by,
      replaces: { jobRole: p.job_role, since: new Date(`${p.start_date}T00:00:00Z`) },
    });
  }

  const touched = [
    ...created.map((p) => p.id),
    ...plan.updates.map((u) => (u.existing as Person).id),
  ];
  const after = new Map<string, Person>();
  for (let i = 0; i < touched.length; i += BATCH) {
    const rows = await tx
      .selectFrom("people")
      .selectAll()
      .where("id", "in", touched.slice(i, i + BATCH))
      .execute();
    for (const row of rows) after.set(row.id, row);
  }
  const events: AuditEntry[] = [];
  for (const person of created) {
    const now = after.get(person.id) as Person;
    events.push({
      action: "person.created",
      targetType: "person",
      targetId: now.id,
      after: personSnapshot(now),
    });
    await personChanged(ctx, scope, null, now);
  }
  for (const { existing } of plan.updates) {
    const before = existing as Person;
    const now = after.get(before.id) as Person;
    events.push({
      action: "person.updated",
      targetType: "person",
      targetId: now.id,
      before: personSnapshot(before),
      after: personSnapshot(now),
    });
    await personChanged(ctx, scope, before, now);
  }
  events.push({
    action: "people_import.committed",
    targetType: "person",
    targetId: null,
    after: {
      rows: plan.count,
      created: created.length,
      updated: plan.updates.length,
      unchanged: plan.unchanged.length,
    },
  });
  // The import's own events after those its changes made (the access area's, say).
  for (const event of events) await scope.audit(event);
}
