import type { Kysely } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { assertStrongPassword } from "../../platform/password-strength.ts";
import { organizationRows } from "../organizations/organizations.queries.ts";
import { principalUsers } from "../users/users.queries.ts";

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
      .selectFrom(principalUsers(tx).as("u"))
      .innerJoin(organizationRows(tx).as("o"), "o.id", "u.organization_id")
      .select(["u.email", "u.name", "o.name as organizationName"])
      .where("u.id", "=", account.userId)
      .executeTakeFirst(),
  );
  assertStrongPassword(field, password, context ?? {});
}
