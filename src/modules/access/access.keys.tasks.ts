import { sql } from "kysely";
import { addDays, startOfDay } from "../../domain/dates.ts";
import type { Context } from "../../platform/context.ts";
import type { ChangeScope } from "../change.ts";
import { organizationSettings } from "../organizations/organizations.queries.ts";
import { peopleByIds } from "../people/people.queries.ts";
import { systemsNow } from "../systems/systems.queries.ts";
import { openTask } from "./access.tasks.ts";

/**
 * A leaver's access keys: one revocation task per unrevoked key, like their grants and
 * accounts (moving or clearing the end date moves or cancels it with the others, as they are
 * all the person's leaver tasks). A task names one system, whose owner it is assigned to: the
 * first by name of the live systems the key opens. A key that opens no system gets no task —
 * it is revoked from the registry, and terminated-access-removed counts it all the same.
 */
export async function openLeaverKeyTasks(
  ctx: Context,
  scope: ChangeScope,
  personId: string,
  dueAt: Date,
) {
  const keys = await scope.tx
    .selectFrom("access_keys as k")
    .innerJoin("access_key_systems as ks", (join) =>
      join.onRef("ks.key_id", "=", "k.id").on("ks.removed_at", "is", null),
    )
    .innerJoin(systemsNow(scope.tx).as("s"), "s.id", "ks.system_id")
    .select(["k.id", sql<string>`(array_agg(s.id order by s.name, s.id))[1]`.as("system_id")])
    .where("k.person_id", "=", personId)
    .where("k.revoked_at", "is", null)
    .where("s.archived", "=", false)
    .where(sql<boolean>`not exists (select 1 from access_tasks t where t.access_key_id = k.id
      and t.kind = 'revoke' and t.completed_at is null and t.cancelled_at is null)`)
    .groupBy("k.id")
    .execute();
  for (const key of keys) {
    await openTask(ctx, scope, {
      kind: "revoke",
      reason: "leaver",
      systemId: key.system_id,
      personId,
      accessKeyId: key.id,
      dueAt,
    });
  }
}

/**
 * A key registered (or given systems) for someone who already has an end date gets its
 * revocation task at once, due like their other leaver tasks.
 */
export async function openKeyTasksIfLeaving(ctx: Context, scope: ChangeScope, personId: string) {
  const [person] = await peopleByIds(scope.tx, [personId]);
  if (!person?.end_date) return;
  const settings = await organizationSettings(scope.tx, ctx.organizationId);
  const dueAt = addDays(startOfDay(person.end_date), settings.accessRevocationDays);
  await openLeaverKeyTasks(ctx, scope, personId, dueAt);
}
