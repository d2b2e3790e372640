import type { Kysely } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { assertStrongPassword } from "../../platform/password-strength.ts";

/**
 * Refuses a weak new password for an existing account, judged against the account's email and
 * name and its organization's name (a 400 naming `field`).
 */
export async function assertStrongPasswordFor(
  db: Kysely<Database>,
  account: { organizationId: string; userId: string },
  field: string,
  password: string,
): Promise<void> {
  const context = await withTenant(db, account.organizationId, (tx) =>
    tx
      .selectFrom("users")
      .innerJoin("organizations", "organizations.id", "users.organization_id")
      .select(["users.email", "users.name", "organizations.name as organizationName"])
      .where("users.id", "=", account.userId)
      .executeTakeFirst(),
  );
  assertStrongPassword(field, password, context ?? {});
}
