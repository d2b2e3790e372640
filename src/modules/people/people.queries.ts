import { type QueryCreator, type RawBuilder, sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import type { Database, Person } from "../../db/types.ts";
import { userNames } from "../users/users.queries.ts";

/** The people area's reads that other areas use. */

/**
 * The people active on `day` ('YYYY-MM-DD': started, not yet left), as a subquery other
 * areas join set-based (e.g. policies, for who must acknowledge): alias it with `.as(...)`.
 */
export function activePeopleOn(db: QueryCreator<Database>, day: string) {
  return db
    .selectFrom("people")
    .select(["id", "name", "email", "job_role", "start_date"])
    .where("start_date", "<=", day)
    .where((eb) => eb.or([eb("end_date", "is", null), eb("end_date", ">", day)]));
}

/**
 * The audit log's labels of people, and of users: a user's page is their person's when the
 * account is linked to one (the people area owns that link), else the list of users.
 */
export const peopleAuditTargets = {
  person: {
    find: async (tx: Tx, ids: string[]) =>
      (await tx.selectFrom("people").select(["id", "name"]).where("id", "in", ids).execute()).map(
        (r) => ({ id: r.id, name: r.name, path: `/people/${encodeURIComponent(r.id)}` }),
      ),
  },
  user: {
    find: async (tx: Tx, ids: string[]) => {
      const names = await userNames(tx, ids);
      if (names.size === 0) return [];
      const people = await tx
        .selectFrom("people")
        .select(["id", "user_id"])
        .where("user_id", "in", [...names.keys()])
        .execute();
      const personOf = new Map(people.map((p) => [p.user_id, p.id]));
      return [...names].map(([id, name]) => {
        const person = personOf.get(id);
        return {
          id,
          name,
          path: person ? `/people/${encodeURIComponent(person)}` : "/settings/users",
        };
      });
    },
  },
};

/** The person listed for an account, if any. */
export async function personOfUser(tx: Tx, userId: string): Promise<Person | undefined> {
  return tx.selectFrom("people").selectAll().where("user_id", "=", userId).executeTakeFirst();
}

/**
 * Whether the person with this email (lower case), or linked to this account, has left: an
 * end date on or before `day` ('YYYY-MM-DD'). Single sign-on refuses them.
 */
export async function employmentEnded(
  tx: Tx,
  person: { email: string; userId?: string | undefined },
  day: string,
): Promise<boolean> {
  const row = await tx
    .selectFrom("people")
    .select("id")
    .where((eb) =>
      person.userId
        ? eb.or([eb("email", "=", person.email), eb("user_id", "=", person.userId)])
        : eb("email", "=", person.email),
    )
    .where("end_date", "is not", null)
    .where("end_date", "<=", day)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Each person with the job role they held at `asOf`, and whether they were active that day:
 * a derived table other areas join set-based (the access checks). Alias it with `.as(...)`.
 * Columns: id, name, email, number, job_role, start_date, end_date, active.
 */
export function peopleAsOf(db: QueryCreator<Database>, asOf: Date) {
  const day = asOf.toISOString().slice(0, 10);
  return db
    .selectFrom("people")
    .leftJoin("person_job_roles as r", (join) =>
      join
        .onRef("r.person_id", "=", "people.id")
        .on("r.valid_from", "<=", asOf)
        .on((eb) => eb.or([eb("r.valid_to", "is", null), eb("r.valid_to", ">", asOf)])),
    )
    .select((eb) => [
      "people.id",
      "people.name",
      "people.email",
      "people.number",
      "people.start_date",
      "people.end_date",
      // Without a dated role then (listed without one, or before their first), the role on file.
      eb
        .case()
        .when("r.id", "is", null)
        .then(eb.ref("people.job_role"))
        .else(eb.ref("r.job_role"))
        .end()
        .as("job_role"),
      eb
        .and([
          eb("people.start_date", "<=", day),
          eb.or([eb("people.end_date", "is", null), eb("people.end_date", ">", day)]),
        ])
        .as("active"),
    ]);
}

/** A change of a person's job role (see jobRoleChangesBy). */
export interface JobRoleChange {
  person_id: string;
  /** The role that ended (never null) and the one that followed it (null: none). */
  from_role: string;
  to_role: string | null;
  changed_at: Date;
}

/**
 * Every change of job role made by `asOf` while the person was employed (started, not yet
 * left on the day of the change): the role that ended, the one that followed, and when. A
 * derived table other areas join set-based (access-removal's unneeded-access-removed):
 * `from (${jobRoleChangesBy(asOf)}) jc`.
 */
export function jobRoleChangesBy(asOf: Date): RawBuilder<JobRoleChange> {
  return sql<JobRoleChange>`
    select r.person_id, r.from_role, r.to_role, r.changed_at
    from (
      select person_id, job_role as from_role, valid_to as changed_at,
             lead(job_role) over (partition by person_id order by valid_from, valid_to) as to_role
      from person_job_roles
      where valid_from <= ${asOf}
    ) r
    join people p on p.id = r.person_id
    where r.changed_at is not null and r.changed_at <= ${asOf}
      and r.from_role is not null and r.from_role is distinct from r.to_role
      and p.start_date <= (r.changed_at at time zone 'UTC')::date
      and (p.end_date is null or p.end_date > (r.changed_at at time zone 'UTC')::date)`;
}

/** A person's display reference: the number they keep for good, "P-42". */
export function personReference(number: number): string {
  return `P-${number}`;
}

/** People by id (their whole rows): the access area's owners, requesters and reports. */
export async function peopleByIds(tx: Tx, ids: readonly string[]): Promise<Person[]> {
  if (ids.length === 0) return [];
  return tx
    .selectFrom("people")
    .selectAll()
    .where("id", "in", [...ids])
    .execute();
}

/** The person listed with this email (lower-cased), if any. */
export async function personByEmail(tx: Tx, email: string): Promise<Person | undefined> {
  return tx
    .selectFrom("people")
    .selectAll()
    .where("email", "=", email.trim().toLowerCase())
    .executeTakeFirst();
}
