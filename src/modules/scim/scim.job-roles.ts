import { sql } from "kysely";
import type { Context } from "../../platform/context.ts";
import type { ChangeScope } from "../change.ts";
import { peopleByIds } from "../people/people.queries.ts";
import { changePersonIn } from "../people/people.service.ts";

/**
 * Groups map to job roles. A person holds one job role: that of the group whose membership was
 * added most recently (ties: the first group by name). A person in no mapped group keeps the
 * job role they had. The change goes through the people area, so the dated job-role history
 * (and the joiner's access it opens) follows. Set-based: one query for the batch's roles.
 */
export async function syncJobRoles(ctx: Context, scope: ChangeScope, scimUserIds: string[]) {
  const ids = [...new Set(scimUserIds)];
  if (ids.length === 0) return;
  const { tx } = scope;
  // Driven by the users asked about (their primary key), each reading its newest membership
  // through its index: the planner cannot pick a scan of every user and group.
  const wanted = await sql<{ person_id: string; job_role: string }>`
    SELECT u.person_id, r.job_role
    FROM scim_users u
    CROSS JOIN LATERAL (
      SELECT coalesce(g.job_role, g.display_name) AS job_role
      FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id
      WHERE m.user_id = u.id
      ORDER BY m.added_at DESC, lower(g.display_name)
      LIMIT 1
    ) r
    WHERE u.id = ANY(${ids}::uuid[]) AND u.deleted_at IS NULL`.execute(tx);
  if (wanted.rows.length === 0) return;
  const people = new Map(
    (
      await peopleByIds(
        tx,
        wanted.rows.map((row) => row.person_id),
      )
    ).map((p) => [p.id, p]),
  );
  for (const row of wanted.rows) {
    const person = people.get(row.person_id);
    if (!person || person.job_role === row.job_role.slice(0, 200)) continue;
    await changePersonIn(
      ctx,
      scope,
      person.id,
      { jobRole: row.job_role.slice(0, 200) },
      {
        action: "person.updated",
      },
    );
  }
}
