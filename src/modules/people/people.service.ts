import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import type { Person } from "../../db/types.ts";
import { isoDay } from "../../domain/dates.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { personChanged } from "../access/access.lifecycle.service.ts";
import { applyChange } from "../change.ts";
import { userIdByEmail } from "../users/users.queries.ts";
import { recordJobRole } from "./people.job-roles.ts";

/**
 * The people of the organization: everyone a policy applies to, whether or not they sign in
 * to Attest. A user account links to exactly one person; people without accounts are listed
 * here too (the access issue extends this list with systems and grants).
 */
export interface PersonView {
  id: string;
  userId: string | null;
  name: string;
  email: string;
  jobRole: string | null;
  startDate: string;
  endDate: string | null;
  active: boolean;
  createdAt: Date;
}

export function presentPerson(person: Person, today = isoDay(new Date())): PersonView {
  return {
    id: person.id,
    userId: person.user_id,
    name: person.name,
    email: person.email,
    jobRole: person.job_role,
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

function snapshot(person: Person) {
  return {
    name: person.name,
    email: person.email,
    jobRole: person.job_role,
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
  if (created) {
    await recordJobRole(tx, {
      organizationId: input.organizationId,
      personId: created.id,
      jobRole: null,
      at: new Date(),
    });
    return created.id;
  }
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

// Other areas import it from here today; people.queries.ts is its home.

export interface PeopleFilter {
  activeOn?: string | undefined;
  jobRole?: string | undefined;
  after?: { name: string; id: string } | undefined;
  limit: number;
}

export async function listPeople(ctx: Context, filter: PeopleFilter) {
  const rows = await withTenant(ctx.db, ctx.organizationId, (tx) => {
    let query = tx.selectFrom("people").selectAll();
    if (filter.activeOn) {
      const day = filter.activeOn;
      query = query
        .where("start_date", "<=", day)
        .where((eb) => eb.or([eb("end_date", "is", null), eb("end_date", ">", day)]));
    }
    if (filter.jobRole) query = query.where("job_role", "=", filter.jobRole);
    if (filter.after) {
      const { name, id } = filter.after;
      query = query.where((eb) =>
        eb.or([eb("name", ">", name), eb.and([eb("name", "=", name), eb("id", ">", id)])]),
      );
    }
    return query
      .orderBy("name")
      .orderBy("id")
      .limit(filter.limit + 1)
      .execute();
  });
  const items = rows.slice(0, filter.limit);
  const last = rows.length > filter.limit ? items.at(-1) : undefined;
  return {
    items: items.map((p) => presentPerson(p)),
    next: last ? { name: last.name, id: last.id } : null,
  };
}

export async function getPerson(ctx: Context, id: string): Promise<PersonView> {
  const person = await withTenant(ctx.db, ctx.organizationId, (tx) => findPerson(tx, id));
  return presentPerson(person);
}

export async function listJobRoles(ctx: Context): Promise<string[]> {
  const rows = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    tx
      .selectFrom("people")
      .select("job_role")
      .distinct()
      .where("job_role", "is not", null)
      .orderBy("job_role")
      .execute(),
  );
  return rows.map((r) => r.job_role as string);
}

export interface NewPerson {
  name: string;
  email: string;
  jobRole?: string | null | undefined;
  startDate: string;
  endDate?: string | null | undefined;
}

export async function createPerson(ctx: Context, input: NewPerson): Promise<PersonView> {
  checkDates(input.startDate, input.endDate ?? null);
  const email = input.email.trim().toLowerCase();
  const person = await applyChange(ctx, ["people", "access"], async ({ tx, audit }) => {
    const taken = await tx
      .selectFrom("people")
      .select("id")
      .where("email", "=", email)
      .executeTakeFirst();
    if (taken) throw errors.conflict("A person with this email is already listed.", "email");
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
    });
    await audit({
      action: "person.created",
      targetType: "person",
      targetId: created.id,
      after: snapshot(created),
    });
    await personChanged(ctx, { tx, audit }, null, created);
    return created;
  });
  return presentPerson(person);
}

export interface PersonChanges {
  name?: string | undefined;
  jobRole?: string | null | undefined;
  startDate?: string | undefined;
  endDate?: string | null | undefined;
}

export async function updatePerson(
  ctx: Context,
  id: string,
  changes: PersonChanges,
): Promise<PersonView> {
  const person = await applyChange(ctx, ["people", "access"], async ({ tx, audit }) => {
    const before = await findPerson(tx, id);
    const startDate = changes.startDate ?? before.start_date;
    const endDate = changes.endDate === undefined ? before.end_date : changes.endDate;
    checkDates(startDate, endDate);
    const after = await tx
      .updateTable("people")
      .set({
        name: changes.name?.trim() ?? before.name,
        job_role: changes.jobRole === undefined ? before.job_role : changes.jobRole?.trim() || null,
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
    });
    await audit({
      action: "person.updated",
      targetType: "person",
      targetId: id,
      before: snapshot(before),
      after: snapshot(after),
    });
    await personChanged(ctx, { tx, audit }, before, after);
    return after;
  });
  return presentPerson(person);
}

function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

function checkDates(startDate: string, endDate: string | null) {
  if (endDate !== null && endDate < startDate) {
    throw errors.validation("endDate", "must not be before startDate");
  }
}

async function findPerson(tx: Tx, id: string): Promise<Person> {
  const person = await tx.selectFrom("people").selectAll().where("id", "=", id).executeTakeFirst();
  if (!person) throw errors.notFound("Person");
  return person;
}
