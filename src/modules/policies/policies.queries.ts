// Reads of the policies area's tables for other areas (only the policies area names them).
import type { Tx } from "../../db/tenant.ts";

/** A policy as others show it: its title, whether retired, and its published version's number. */
export interface PolicyPublication {
  title: string;
  retiredAt: Date | null;
  /** The number of the version published now, or null when none is. */
  publishedVersion: number | null;
}

/** The given policies of the organization with their published version, by id (unknown ids absent). */
export async function policyPublications(
  tx: Tx,
  policyIds: readonly string[],
): Promise<Map<string, PolicyPublication>> {
  if (policyIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom("policies as p")
    .leftJoin("policy_versions as v", (join) =>
      join.onRef("v.policy_id", "=", "p.id").on("v.status", "=", "published"),
    )
    .select(["p.id", "p.title", "p.retired_at", "v.version"])
    .where("p.id", "in", [...new Set(policyIds)])
    .execute();
  return new Map(
    rows.map((row) => [
      row.id,
      { title: row.title, retiredAt: row.retired_at, publishedVersion: row.version ?? null },
    ]),
  );
}

/** The version of a policy published now, with its policy's title, or undefined when none is. */
export async function publishedPolicyVersion(tx: Tx, policyId: string) {
  return tx
    .selectFrom("policy_versions as v")
    .innerJoin("policies as p", "p.id", "v.policy_id")
    .select(["p.title", "p.retired_at", "v.version", "v.published_at", "v.status", "v.body"])
    .where("v.policy_id", "=", policyId)
    .where("v.status", "=", "published")
    .executeTakeFirst();
}
