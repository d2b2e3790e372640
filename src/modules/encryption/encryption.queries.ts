import type { Tx } from "../../db/tenant.ts";
import { keyLink } from "./encryption.core.ts";

/** The encryption area's reads that other areas use. */

/** The names of keys, by id (archived ones too). */
export async function keyNames(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx
    .selectFrom("encryption_keys")
    .select(["id", "name"])
    .where("id", "in", unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** How the audit log labels the key registry's records (confirmations are the system's). */
export const encryptionAuditTargets = {
  encryption_key: {
    find: async (tx: Tx, ids: string[]) =>
      [...(await keyNames(tx, ids))].map(([id, name]) => ({ id, name, path: keyLink(id) })),
  },
};
