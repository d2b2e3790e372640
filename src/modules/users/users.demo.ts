import type { Kysely } from "kysely";
import { type Tx, withSystem } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import type { Role } from "../../domain/permissions.ts";

/**
 * Accounts for the demo's people, active and without a password (they would sign in through
 * the company's identity provider): every employee reads and acknowledges policies in Attest.
 * Written in one statement per batch; returns the ids in input order.
 */
export async function addDemoAccounts(
  tx: Tx,
  organizationId: string,
  accounts: { name: string; email: string; role: Role; createdAt: Date; active: boolean }[],
): Promise<string[]> {
  if (accounts.length === 0) return [];
  const rows = await tx
    .insertInto("users")
    .values(
      accounts.map((account) => ({
        organization_id: organizationId,
        email: account.email,
        name: account.name,
        role: account.role,
        status: account.active ? ("active" as const) : ("deactivated" as const),
        created_at: account.createdAt,
      })),
    )
    .returning(["id", "email"])
    .execute();
  const ids = new Map(rows.map((row) => [row.email, row.id]));
  return accounts.map((account) => ids.get(account.email) as string);
}

/**
 * The demo company's mail domain: demo.attest.test, or demo2.attest.test… when an earlier demo
 * in this database took it (an email signs in to one account across organizations).
 */
export async function demoEmailDomain(db: Kysely<Database>): Promise<string> {
  for (let n = 1; ; n++) {
    const domain = n === 1 ? "demo.attest.test" : `demo${n}.attest.test`;
    const taken = await withSystem(db, (tx) =>
      tx
        .selectFrom("users")
        .select("id")
        .where("email", "like", `%.%@${domain}`)
        .limit(1)
        .executeTakeFirst(),
    );
    if (!taken) return domain;
  }
}
