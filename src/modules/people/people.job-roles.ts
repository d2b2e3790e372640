import type { Tx } from "../../db/tenant.ts";

/**
 * The dated history of a person's job role (person_job_roles): the access checks ask which
 * role a person held on any past day. Every write of people.job_role goes through here, in
 * the same transaction.
 */
export async function recordJobRole(
  tx: Tx,
  input: {
    organizationId: string;
    personId: string;
    jobRole: string | null;
    /** When the role took effect: the start date for a new person, now for a change. */
    at: Date;
    changedBy?: string | null | undefined;
    /**
     * The role this one replaces and since when, for a person with no dated role yet (listed
     * without one, e.g. when their account was made): it becomes their first dated row.
     */
    replaces?: { jobRole: string | null; since: Date } | undefined;
    /** A person inserted in this transaction: there is no dated role to look for. */
    isNew?: boolean | undefined;
  },
): Promise<void> {
  const current = input.isNew
    ? undefined
    : await tx
        .selectFrom("person_job_roles")
        .select(["id", "job_role", "valid_from"])
        .where("person_id", "=", input.personId)
        .where("valid_to", "is", null)
        .executeTakeFirst();
  if (current && current.job_role === input.jobRole) return;
  if (!current && input.replaces) {
    if (input.replaces.jobRole === input.jobRole) return;
    if (input.replaces.since < input.at) {
      await tx
        .insertInto("person_job_roles")
        .values({
          organization_id: input.organizationId,
          person_id: input.personId,
          job_role: input.replaces.jobRole,
          valid_from: input.replaces.since,
          valid_to: input.at,
        })
        .execute();
    }
  }
  if (current) {
    // A change is never dated before the role it ends began.
    const closesAt = new Date(Math.max(input.at.getTime(), current.valid_from.getTime()));
    await tx
      .updateTable("person_job_roles")
      .set({ valid_to: closesAt })
      .where("id", "=", current.id)
      .execute();
    input = { ...input, at: closesAt };
  }
  await tx
    .insertInto("person_job_roles")
    .values({
      organization_id: input.organizationId,
      person_id: input.personId,
      job_role: input.jobRole,
      valid_from: input.at,
      changed_by: input.changedBy ?? null,
    })
    .execute();
}
