import { sql } from "kysely";
import type { Context } from "../../platform/context.ts";
import type { ChangeScope } from "../change.ts";
import { peopleByIds } from "../people/people.queries.ts";
import { type SsoAccountPolicy, ssoAccountPolicy } from "../sso/sso.queries.ts";
import {
  createExternalAccount,
  externalAccountSnapshot,
  setExternalRole,
} from "../users/external-accounts.service.ts";

/**
 * Accounts for provisioned people, when single sign-on is on (the organization has an enabled
 * provider): an active SCIM user whose email is in a domain the provider signs in gets an
 * account without a password, to sign in through the provider with; its role comes from the
 * provider's group → role mapping applied to the user's SCIM groups (by display name or external id: Entra's groups claim
 * carries object ids, which its SCIM client sends as externalId), and
 * follows them as memberships change (owners and auditors excepted, as at sign-in). Without
 * single sign-on SCIM provisions people only. Deactivation and a re-hire's reactivation are the
 * users area's (deactivateUserIn, reactivateUserIn; scim.users.service.ts).
 */
export async function provisionAccounts(
  ctx: Context,
  scope: ChangeScope,
  scimUserIds: readonly string[],
  /** The organization's single sign-on policy when the caller has read it already. */
  known?: SsoAccountPolicy | null,
): Promise<void> {
  const ids = [...new Set(scimUserIds)];
  if (ids.length === 0) return;
  const { tx, audit } = scope;
  const policy = known === undefined ? await ssoAccountPolicy(tx) : known;
  if (!policy) return;
  const rows = await sql<{ person_id: string; active: boolean; groups: string[] }>`
    SELECT u.person_id, u.active,
      coalesce(array_agg(g.display_name) FILTER (WHERE g.id IS NOT NULL), '{}')
        || coalesce(array_agg(g.external_id) FILTER (WHERE g.external_id IS NOT NULL), '{}')
        AS groups
    FROM scim_users u
    LEFT JOIN scim_group_members m ON m.user_id = u.id
    LEFT JOIN scim_groups g ON g.id = m.group_id
    WHERE u.id = ANY(${ids}::uuid[]) AND u.deleted_at IS NULL
    GROUP BY u.id`.execute(tx);
  const people = new Map(
    (
      await peopleByIds(
        tx,
        rows.rows.map((row) => row.person_id),
      )
    ).map((p) => [p.id, p]),
  );
  for (const row of rows.rows) {
    const person = people.get(row.person_id);
    if (!person) continue;
    const role = policy.roleFor(row.groups);
    if (person.user_id) {
      const changed = await setExternalRole(tx, person.user_id, role);
      if (changed) {
        await audit({
          action: "user.role_changed",
          targetType: "user",
          targetId: person.user_id,
          before: externalAccountSnapshot(changed.before),
          after: { ...externalAccountSnapshot(changed.after), via: "SCIM groups" },
        });
      }
      continue;
    }
    if (!row.active || !policy.allows(person.email)) continue;
    // One email, one account in the whole installation: when another organization's account
    // holds it, the person is provisioned without one (the savepoint keeps the change going).
    await sql`SAVEPOINT scim_account`.execute(tx);
    try {
      const user = await createExternalAccount(tx, {
        organizationId: ctx.organizationId,
        email: person.email,
        name: person.name,
        role,
      });
      await sql`RELEASE SAVEPOINT scim_account`.execute(tx);
      await audit({
        action: "user.created_by_scim",
        targetType: "user",
        targetId: user.id,
        after: externalAccountSnapshot(user),
      });
    } catch (error) {
      if ((error as { code?: unknown }).code !== "23505") throw error;
      await sql`ROLLBACK TO SAVEPOINT scim_account`.execute(tx);
    }
  }
}
