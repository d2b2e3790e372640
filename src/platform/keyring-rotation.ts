import { type Kysely, sql } from "kysely";
import { withSystem } from "../db/tenant.ts";
import type { Database } from "../db/types.ts";
import type { Keyring } from "./keyring.ts";
import { type SecretColumns, secretColumns } from "./keyring-columns.ts";

/**
 * Re-sealing every declared secret under the keyring's current key, online: reads in batches
 * by id, writes each value with a compare-and-set (`WHERE id = ? AND col = <old value>`) so a
 * value a server changed meanwhile is left to the next pass, and repeats passes until none is
 * left under another key. Runs as attest_system, across every organization.
 */

export const BATCH_SIZE = 500;
const FIRST_ID = "00000000-0000-0000-0000-000000000000";

/** How many values of one column are sealed with which key. */
export interface KeyUsage {
  table: string;
  column: string;
  /** A key id; "v1" for the single-key format (key not named); "unsealed" for anything else. */
  keyId: string;
  count: number;
}

export interface UnreadableValue {
  table: string;
  column: string;
  id: string;
  reason: string;
}

export interface ResealResult {
  resealed: number;
  passes: number;
  /** Values no key of the ring opens (or not sealed at all): left as they are. */
  unreadable: UnreadableValue[];
}

/** Each declared column, one by one. */
export function declaredColumns(
  declared: readonly SecretColumns[] = secretColumns(),
): { table: string; column: string }[] {
  return declared.flatMap((d) => d.columns.map((column) => ({ table: d.table, column })));
}

/** Counts the values of every declared column by the key that seals them (one query each). */
export async function keyUsage(db: Kysely<Database>): Promise<KeyUsage[]> {
  const usage: KeyUsage[] = [];
  for (const { table, column } of declaredColumns()) {
    const col = sql.ref(column);
    const { rows } = await withSystem(db, (tx) =>
      sql<{ key_id: string; count: number }>`
        select case when ${col} like 'v2.%' then split_part(${col}, '.', 2)
                    when ${col} like 'v1.%' then 'v1'
                    else 'unsealed' end as key_id,
               count(*)::int as count
        from ${sql.table(table)} where ${col} is not null group by 1 order by 1`.execute(tx),
    );
    for (const row of rows) usage.push({ table, column, keyId: row.key_id, count: row.count });
  }
  return usage;
}

/** Re-seals one column's values not under the current key; answers the candidates seen. */
async function resealColumn(
  db: Kysely<Database>,
  keyring: Keyring,
  target: { table: string; column: string },
  result: ResealResult,
  skip: Set<string>,
  progress: (message: string) => void,
): Promise<number> {
  const { table, column } = target;
  const col = sql.ref(column);
  let after = FIRST_ID;
  let candidates = 0;
  for (;;) {
    const current = `v2.${keyring.current.id}.%`;
    const { rows } = await withSystem(db, (tx) =>
      sql<{ id: string; value: string }>`
        select id::text as id, ${col} as value from ${sql.table(table)}
        where ${col} is not null and ${col} not like ${current} and id > ${after}::uuid
        order by id limit ${BATCH_SIZE}`.execute(tx),
    );
    if (rows.length === 0) return candidates;
    after = (rows[rows.length - 1] as { id: string }).id;
    let resealed = 0;
    await withSystem(db, async (tx) => {
      for (const row of rows) {
        const key = `${table}.${column}.${row.id}`;
        if (skip.has(key)) continue;
        candidates++;
        let next: string | null;
        try {
          next = keyring.reseal(row.value);
        } catch (error) {
          skip.add(key);
          candidates--;
          result.unreadable.push({ table, column, id: row.id, reason: (error as Error).message });
          continue;
        }
        if (next === null) continue;
        const updated = await sql`
          update ${sql.table(table)} set ${col} = ${next}
          where id = ${row.id}::uuid and ${col} = ${row.value}`.execute(tx);
        resealed += Number(updated.numAffectedRows ?? 0);
      }
    });
    result.resealed += resealed;
    if (resealed > 0) progress(`${table}.${column}: ${resealed} re-sealed`);
  }
}

/**
 * Re-seals every declared value under `keyring.current`, pass after pass, until a pass finds
 * no value under another key (values a server still on the old key wrote meanwhile are caught
 * by the next pass). Unreadable values are reported, never rewritten.
 */
export async function resealAll(
  db: Kysely<Database>,
  keyring: Keyring,
  progress: (message: string) => void = () => {},
): Promise<ResealResult> {
  const result: ResealResult = { resealed: 0, passes: 0, unreadable: [] };
  const skip = new Set<string>();
  for (;;) {
    result.passes++;
    let candidates = 0;
    for (const target of declaredColumns()) {
      candidates += await resealColumn(db, keyring, target, result, skip, progress);
    }
    if (candidates === 0) return result;
    progress(`pass ${result.passes} done; looking again for values written meanwhile`);
    // A server still sealing with the old key picks the new one up within seconds.
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
