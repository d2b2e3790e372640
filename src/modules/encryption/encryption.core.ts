import type { Tx } from "../../db/tenant.ts";
import { errors } from "../../platform/errors.ts";

/** What every part of the encryption area shares: its source, its links, finding a key. */

/** The data source the encryption area announces. */
export const ENCRYPTION_SOURCE = "encryption" as const;

/** The web app's page of a key. */
export function keyLink(id: string): string {
  return `/encryption/keys/${encodeURIComponent(id)}`;
}

/** The web app's page of a data store's encryption at rest. */
export function storeLink(systemId: string): string {
  return `/encryption/stores/${encodeURIComponent(systemId)}`;
}

/** The key (visible to the transaction's organization), or a 404; `lock` takes it FOR UPDATE. */
export async function findKey(tx: Tx, id: string, lock = false) {
  let query = tx.selectFrom("encryption_keys").selectAll().where("id", "=", id);
  if (lock) query = query.forUpdate();
  const key = await query.executeTakeFirst();
  if (!key) throw errors.notFound("The key");
  return key;
}
