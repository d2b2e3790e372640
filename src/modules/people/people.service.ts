import { sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import type { EmploymentType, Person } from "../../db/types.ts";
import { isoDay } from "../../domain/dates.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { personChanged } from "../access/access.lifecycle.service.ts";
import { applyChange, type ChangeScope } from "../change.ts";
import { userIdByEmail } from "../users/users.queries.ts";
import { recordJobRole } from "./people.job-roles.ts";
import { personReference } from "./people.queries.ts";

/**
 * The people of the organization: everyone a policy applies to, whether or not they sign in
 * to Attest. A user account links to exactly one person; people without accounts are listed
 * here too. Each keeps the number they were given (their reference, "P-12") for good.
 */
export interface PersonView {
  id: string;
  number: number;
  reference: string;
  userId: string | null;
  name: string;
  email: string;
  jobRole: string | null;
  employmentType: EmploymentType;
  managerId: string | null;
  managerName: string | null;
  directReports?: number;
  startDate: string;
  endDate: string | null;
  active: boolean;
  createdAt: Date;
}

/** A person's row with their manager's name beside it (`withManagerName`). */
export type PersonRow = Person & { manager_name: string | null };

export function presentPerson(person: PersonRow, today = isoDay(new Date())): PersonView {
  return {
    id: person.id,
    number: person.number,
    reference: personReference(person.number),
    userId: person.user_id,
    name: person.name,
    email: person.email,
    jobRole: person.job_role,
    employmentType: person.employment_type,
    managerId: person.manager_id,
    managerName: person.manager_name,
    startDate: person.start_date,
    endDate: person.end_date,
    active: isActiveOn(person, today),
    createdAt: person.created_at,
  };
}

/** A person is active from their start date until the day before their end date. */
export function isActiveOn(
  person: { start_date: string; end_date: string | null },
  day: string,
): boolean {
  return person.start_date <= day && (person.end_date === null || person.end_date > day);
}

/**
 * The people rows with their manager's name (`manager_name`): a subquery rather than a join,
 * so a page of the list looks up only its own managers (PostgreSQL evaluates it after LIMIT).
 */
export function withManagerName(tx: Tx) {
  return tx
    .selectFrom("people")
    .selectAll("people")
    .select((eb) =>
      eb
        .selectFrom("people as manager")
        .select("manager.name")
        .whereRef("manager.id", "=", "people.manager_id")
        .as("manager_name"),
    );
}

/** What the audit log keeps of a person before and after a change. */
export function personSnapshot(person: Person) {
  return {
    reference: personReference(person.number),
    name: person.name,
    email: person.email,
    jobRole: person.job_role,
    employmentType: person.employment_type,
    managerId: person.manager_id,
    startDate: person.start_date,
    endDate: person.end_date,
    userId: person.user_id,
  };
}

/**
 * Links a new user account to its person, creating the person when the email is new. Runs in
 * the caller's transaction (setup, invitation).
 */
export async function linkPersonToUser(
  tx: Tx,
  input: { organizationId: string; userId: string; name: string; email: string },
): Promise<string> {
  const created = await tx
    .insertInto("people")
    .values({
      organization_id: input.organizationId,
      user_id: input.userId,
      name: input.name,
      email: input.email,
      start_date: isoDay(new Date()),
    })
    // Listed already (or being listed by a request running now): link that person instead.
    .onConflict((oc) => oc.columns(["organization_id", "email"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  // Listed without a job role: its dated history starts with the first role given.
  if (created) return created.id;
  const existing = await tx
    .selectFrom("people")
    .select(["id", "user_id"])
    .where("organization_id", "=", input.organizationId)
    .where("email", "=", input.email)
    .executeTakeFirstOrThrow();
  if (!existing.user_id) {
    await tx
      .updateTable("people")
      .set({ user_id: input.userId, updated_at: new Date() })
      .where("id", "=", existing.id)
      .execute();
  }
  return existing.id;
}

export async function getPerson(ctx: Context, id: string): Promise<PersonView> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const person = await findPerson(tx, id);
    const reports = await tx
      .selectFrom("people")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("manager_id", "=", id)
      .executeTakeFirstOrThrow();
    return { ...presentPerson(person), directReports: Number(reports.n) };
  });
}

export interface NewPerson {
  name: string;
  email: string;
  jobRole?: string | null | undefined;
  employmentType?: EmploymentType | undefined;
  managerId?: string | null | undefined;
  startDate: string;
  endDate?: string | null | undefined;
}

export async function createPerson(ctx: Context, input: NewPerson): Promise<PersonView> {
  const person = await applyChange(ctx, ["people", "access"], (scope) =>
    createPersonIn(ctx, scope, input),
  );
  return presentPerson(person);
}

/**
 * createPerson inside the caller's change (SCIM provisioning writes its own rows in the same
 * transaction); the caller announces "people" and "access".
 */
export async function createPersonIn(
  ctx: Context,
  scope: ChangeScope,
  input: NewPerson,
): Promise<PersonRow> {
  checkDates(input.startDate, input.endDate ?? null);
  const email = input.email.trim().toLowerCase();
  const { tx, audit } = scope;
  await checkEmailFree(tx, email, null);
  const managerName = input.managerId ? await checkManager(tx, null, input.managerId) : null;
  const userId = await userIdByEmail(tx, email);
  // The check above answers the common case; two creates at once meet at the constraint.
  const created = await tx
    .insertInto("people")
    .values({
      organization_id: ctx.organizationId,
      user_id: userId ?? null,
      name: input.name.trim(),
      email,
      job_role: input.jobRole?.trim() || null,
      employment_type: input.employmentType ?? "employee",
      manager_id: input.managerId ?? null,
      start_date: input.startDate,
      end_date: input.endDate ?? null,
    })
    .onConflict((oc) => oc.columns(["organization_id", "email"]).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!created) throw errors.conflict("A person with this email is already listed.", "email");
  await recordJobRole(tx, {
    organizationId: ctx.organizationId,
    personId: created.id,
    jobRole: created.job_role,
    at: dayStart(created.start_date),
    changedBy: actorUserId(ctx.actor),
    isNew: true,
  });
  await audit({
    action: "person.created",
    targetType: "person",
    targetId: created.id,
    after: personSnapshot(created),
  });
  await personChanged(ctx, scope, null, created);
  // As findPerson reads it, without a query more while the new number's lock is held.
  return { ...created, manager_name: managerName };
}

export interface PersonChanges {
  name?: string | undefined;
  email?: string | undefined;
  jobRole?: string | null | undefined;
  employmentType?: EmploymentType | undefined;
  managerId?: string | null | undefined;
  startDate?: string | undefined;
  endDate?: string | null | undefined;
}

export async function updatePerson(
  ctx: Context,
  id: string,
  changes: PersonChanges,
): Promise<PersonView> {
  const person = await applyChange(ctx, ["people", "access"], (scope) =>
    changePersonIn(ctx, scope, id, changes, { action: "person.updated" }),
  );
  return presentPerson(person);
}

/**
 * Offboarding: sets the end date (today when not given), which opens the revocation of their
 * access (the access area's personChanged). The reason is kept in the audit event.
 */
export async function offboardPerson(
  ctx: Context,
  id: string,
  input: { endDate?: string | undefined; reason?: string | undefined },
): Promise<PersonView> {
  const endDate = input.endDate ?? isoDay(new Date());
  const person = await applyChange(ctx, ["people", "access"], (scope) =>
    changePersonIn(
      ctx,
      scope,
      id,
      { endDate },
      { action: "person.offboarded", reason: input.reason?.trim() || null },
    ),
  );
  return presentPerson(person);
}

/**
 * Changes a person inside the caller's change (updatePerson and offboardPerson run it in their
 * own; SCIM provisioning in its). The event names the audit action ("person.updated",
 * "person.offboarded") and the reason kept with it; the caller announces "people" and "access".
 */
export async function changePersonIn(
  ctx: Context,
  scope: ChangeScope,
  id: string,
  changes: PersonChanges,
  event: { action: string; reason?: string | null },
): Promise<PersonRow> {
  const { tx, audit } = scope;
  const before = await findPerson(tx, id, true);
  const startDate = changes.startDate ?? before.start_date;
  const endDate = changes.endDate === undefined ? before.end_date : changes.endDate;
  checkDates(startDate, endDate);
  const email = changes.email?.trim().toLowerCase() ?? before.email;
  if (email !== before.email) await checkEmailFree(tx, email, id);
  const managerId = changes.managerId === undefined ? before.manager_id : changes.managerId;
  if (managerId && managerId !== before.manager_id) await checkManager(tx, id, managerId);
  const after = await tx
    .updateTable("people")
    .set({
      name: changes.name?.trim() ?? before.name,
      email,
      job_role: changes.jobRole === undefined ? before.job_role : changes.jobRole?.trim() || null,
      employment_type: changes.employmentType ?? before.employment_type,
      manager_id: managerId,
      start_date: startDate,
      end_date: endDate,
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordJobRole(tx, {
    organizationId: ctx.organizationId,
    personId: id,
    jobRole: after.job_role,
    at: new Date(),
    changedBy: actorUserId(ctx.actor),
    replaces: { jobRole: before.job_role, since: dayStart(before.start_date) },
  });
  await audit({
    action: event.action,
    targetType: "person",
    targetId: id,
    before: personSnapshot(before),
    after: { ...personSnapshot(after), ...(event.reason ? { reason: event.reason } : {}) },
  });
  await personChanged(ctx, scope, before, after);
  return findPerson(tx, id);
}

/**
 * Deletes a person entered by mistake. Anyone with history — a user account, reports, access,
 * systems they own, tasks — is refused: set an end date instead.
 */
export async function deletePerson(ctx: Context, id: string): Promise<void> {
  await applyChange(ctx, ["people", "access"], async ({ tx, audit }) => {
    const person = await findPerson(tx, id, true);
    if (person.user_id) {
      throw errors.conflict(
        "This person has a user account: set an end date instead (and deactivate the user).",
      );
    }
    try {
      // A savepoint, so a refused delete leaves the transaction usable on both engines.
      await sql`SAVEPOINT person_delete`.execute(tx);
      await tx.deleteFrom("people").where("id", "=", id).execute();
      await sql`RELEASE SAVEPOINT person_delete`.execute(tx);
    } catch (error) {
      if ((error as { code?: unknown }).code !== "23503") throw error;
      throw errors.conflict("This person has history: set an end date instead.");
    }
    await audit({
      action: "person.deleted",
      targetType: "person",
      targetId: id,
      before: personSnapshot(person),
    });
  });
}

function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

function checkDates(startDate: string, endDate: string | null) {
  if (endDate !== null && endDate < startDate) {
    throw errors.validation("endDate", "must not be before startDate");
  }
}

async function checkEmailFree(tx: Tx, email: string, exceptId: string | null) {
  let query = tx.selectFrom("people").select("id").where("email", "=", email);
  if (exceptId) query = query.where("id", "<>", exceptId);
  if (await query.executeTakeFirst()) {
    throw errors.conflict("A person with this email is already listed.", "email");
  }
}

/**
 * A manager is a person of the organization (row-level security hides any other), not the
 * person themself, and not anyone who reports to them, directly or down the chain.
 */
/** Checks a manager exists and is not managed by the person; answers the manager's name. */
async function checkManager(tx: Tx, personId: string | null, managerId: string): Promise<string> {
  if (managerId === personId)
    throw errors.validation("managerId", "a person cannot manage themself");
  const manager = await tx
    .selectFrom("people")
    .select(["id", "name"])
    .where("id", "=", managerId)
    .executeTakeFirst();
  if (!manager) throw errors.validation("managerId", "no such person in this organization");
  if (!personId) return manager.name;
  const cycle = await sql<{ id: string }>`
    WITH RECURSIVE chain(id, depth) AS (
      SELECT manager_id, 1 FROM people WHERE id = ${managerId}
      UNION ALL
      SELECT p.manager_id, c.depth + 1 FROM people p JOIN chain c ON p.id = c.id
      WHERE c.depth < 10000
    )
    SELECT id FROM chain WHERE id = ${personId} LIMIT 1`.execute(tx);
  if (cycle.rows.length > 0) {
    throw errors.validation(
      "managerId",
      "reports to this person, directly or down the chain: a manager cannot report to those they manage",
    );
  }
  return manager.name;
}

async function findPerson(tx: Tx, id: string, lock = false): Promise<PersonRow> {
  let query = withManagerName(tx).where("people.id", "=", id);
  if (lock) query = query.forUpdate();
  const person = await query.executeTakeFirst();
  if (!person) throw errors.notFound("Person");
  return person;
}
