import { type QueryCreator, type RawBuilder, sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import type { Database, Policy, PolicyVersion, PolicyVisibility } from "../../db/types.ts";
import { errors } from "../../platform/errors.ts";

/**
 * The reads of the policies area: its own services use them, and other areas (the trust
 * center, monitoring) read policies only through the exported ones here.
 */

/**
 * The policy, or a 404. A change to its versions reads them with `lock`: the policy's row is
 * held until the transaction ends, so two saves or approvals at once run one after the other
 * and the second sees what the first wrote (one new draft, one publication).
 */
export async function findPolicy(tx: Tx, id: string, lock = false): Promise<Policy> {
  const policy = await tx
    .selectFrom("policies")
    .selectAll()
    .where("id", "=", id)
    .$if(lock, (query) => query.forUpdate())
    .executeTakeFirst();
  if (!policy) throw errors.notFound("Policy");
  return policy;
}

/** The version being written: a draft, or one submitted for approval. */
export async function openVersion(tx: Tx, policyId: string): Promise<PolicyVersion | undefined> {
  return tx
    .selectFrom("policy_versions")
    .selectAll()
    .where("policy_id", "=", policyId)
    .where("status", "in", ["draft", "submitted"])
    .executeTakeFirst();
}

/** The published version in force now. */
export async function currentVersion(tx: Tx, policyId: string): Promise<PolicyVersion | undefined> {
  return tx
    .selectFrom("policy_versions")
    .selectAll()
    .where("policy_id", "=", policyId)
    .where("status", "=", "published")
    .executeTakeFirst();
}

/**
 * Every live policy with its current published version (the Description of Services, the
 * Security Commitments and the public documents are among them), for the trust center and
 * the getting-started list.
 */
export async function publishedPolicies(tx: Tx) {
  return tx
    .selectFrom("policies as p")
    .innerJoin("policy_versions as v", (join) =>
      join.onRef("v.policy_id", "=", "p.id").on("v.status", "=", "published"),
    )
    .select([
      "p.id",
      "p.title",
      "p.control_key",
      "p.visibility",
      "v.version",
      "v.body",
      "v.published_at",
    ])
    .where("p.retired_at", "is", null)
    .orderBy("p.title")
    .execute();
}

/** For the public trust center: a live public policy and every version it ever published. */
export async function publicPolicyVersions(tx: Tx, policyId: string) {
  const policy = await tx
    .selectFrom("policies")
    .select(["id", "title", "control_key"])
    .where("id", "=", policyId)
    .where("visibility", "=", "public")
    .where("retired_at", "is", null)
    .executeTakeFirst();
  if (!policy) return undefined;
  const versions = await tx
    .selectFrom("policy_versions")
    .select(["version", "status", "body", "published_at", "superseded_at"])
    .where("policy_id", "=", policyId)
    .where("status", "in", ["published", "superseded"])
    .where("published_at", "is not", null)
    .orderBy("version", "desc")
    .execute();
  return { policy, versions };
}

/** A control's policy as it stood at a moment; see `policyAsOf`. */
export interface PolicyAsOf {
  id: string;
  title: string;
  /** The visibility the policy has now; `policyVisibilityAsOf` tells the one it had then. */
  visibility: PolicyVisibility;
  versionId: string | null;
  version: number | null;
  publishedAt: Date | null;
  lastApprovedAt: Date | null;
}

/**
 * A control's policy as it stood at `asOf`: the policy live then, its version published most
 * recently before then, and the last approval (publication or review) of that version before
 * then. Undefined when the control had no live policy then.
 */
export async function policyAsOf(
  tx: Tx,
  controlKey: string,
  asOf: Date,
): Promise<PolicyAsOf | undefined> {
  const row = await tx
    .selectFrom("policies as p")
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("policy_versions as v")
          .select(["v.id", "v.version", "v.published_at"])
          .select((inner) =>
            inner
              .selectFrom("policy_approvals as a")
              .select((agg) => agg.fn.max("a.approved_at").as("approved_at"))
              .whereRef("a.version_id", "=", "v.id")
              .where("a.approved_at", "<=", asOf)
              .as("last_approved_at"),
          )
          .whereRef("v.policy_id", "=", "p.id")
          .where("v.published_at", "<=", asOf)
          .orderBy("v.published_at", "desc")
          .limit(1)
          .as("cv"),
      (join) => join.onTrue(),
    )
    .select([
      "p.id",
      "p.title",
      "p.visibility",
      "cv.id as version_id",
      "cv.version",
      "cv.published_at",
      "cv.last_approved_at",
    ])
    .where("p.control_key", "=", controlKey)
    .where("p.created_at", "<=", asOf)
    .where((eb) => eb.or([eb("p.retired_at", "is", null), eb("p.retired_at", ">", asOf)]))
    .orderBy("p.created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    title: row.title,
    visibility: row.visibility,
    versionId: row.version_id,
    version: row.version,
    publishedAt: row.published_at ? new Date(row.published_at) : null,
    lastApprovedAt: row.last_approved_at
      ? new Date(row.last_approved_at as unknown as string)
      : null,
  };
}

/**
 * Every policy's visibility at `asOf`, by policy id: the last change recorded at or before
 * then. A policy with no change recorded by then (seeded or imported data, whose history was
 * never kept) has its current visibility. One query for all policies, so a check serving
 * every control reads it once per evaluation.
 */
export async function policyVisibilityAsOf(
  tx: Tx,
  asOf: Date,
): Promise<Map<string, PolicyVisibility>> {
  const rows = await tx
    .selectFrom("policies as p")
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("policy_visibility_changes as c")
          .select("c.visibility")
          .whereRef("c.policy_id", "=", "p.id")
          .where("c.changed_at", "<=", asOf)
          .orderBy("c.changed_at", "desc")
          .orderBy("c.seq", "desc")
          .limit(1)
          .as("vc"),
      (join) => join.onTrue(),
    )
    .select(["p.id", "p.visibility", "vc.visibility as visibility_then"])
    .execute();
  return new Map(rows.map((r) => [r.id, r.visibility_then ?? r.visibility]));
}

/**
 * A scalar SQL expression that changes whenever a policy or one of its versions does: the
 * trust center puts it in the freshness stamp of its cached page.
 */
export function policiesStamp(): RawBuilder<string> {
  return sql<string>`(
    (select coalesce(max(updated_at)::text, '') || '|' || count(*) from policies)
    || '/' ||
    (select coalesce(max(updated_at)::text, '') || '|' || count(*) from policy_versions))`;
}

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

/** The control whose policy is the Incident Response Plan. */
export const INCIDENT_RESPONSE_PLAN_CONTROL = "incident-response-plan";

/**
 * The versions of the Incident Response Plan (every policy ever mapped to control
 * incident-response-plan) approved at or before `asOf`, with their approval dates (the moment
 * each was approved for publication): `id`, `version`, `approved_at`. A derived table other
 * areas join set-based (the exercises' checks): alias it with `.as(...)`.
 */
export function incidentResponsePlanVersions(db: QueryCreator<Database>, asOf: Date) {
  return db
    .selectFrom("policy_versions as v")
    .innerJoin("policies as p", "p.id", "v.policy_id")
    .select(["v.id", "v.version", "v.published_at as approved_at"])
    .where("p.control_key", "=", INCIDENT_RESPONSE_PLAN_CONTROL)
    .where("v.published_at", "is not", null)
    .where("v.published_at", "<=", asOf);
}

export interface PlanVersion {
  id: string;
  version: number;
  approvedAt: Date;
}

/** The Incident Response Plan's versions approved by `asOf` (default now), the latest first. */
export async function approvedPlanVersions(tx: Tx, asOf = new Date()): Promise<PlanVersion[]> {
  const rows = await incidentResponsePlanVersions(tx, asOf)
    .orderBy("v.published_at", "desc")
    .orderBy("v.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    approvedAt: new Date(r.approved_at as Date),
  }));
}

/** One version of the Incident Response Plan approved by now, or undefined (another policy's, a draft, unknown). */
export async function approvedPlanVersion(
  tx: Tx,
  versionId: string,
): Promise<PlanVersion | undefined> {
  const row = await incidentResponsePlanVersions(tx, new Date())
    .where("v.id", "=", versionId)
    .executeTakeFirst();
  return row
    ? { id: row.id, version: row.version, approvedAt: new Date(row.approved_at as Date) }
    : undefined;
}

/** The audit log's labels of policies and their versions: the policy's page. */
export const policiesAuditTargets = {
  policy: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx.selectFrom("policies").select(["id", "title"]).where("id", "in", ids).execute()
      ).map((r) => ({ id: r.id, name: r.title, path: `/policies/${encodeURIComponent(r.id)}` })),
  },
  policy_version: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx
          .selectFrom("policy_versions as v")
          .innerJoin("policies as p", "p.id", "v.policy_id")
          .select(["v.id", "v.version", "v.policy_id", "p.title"])
          .where("v.id", "in", ids)
          .execute()
      ).map((r) => ({
        id: r.id,
        name: r.title,
        version: r.version,
        path: `/policies/${encodeURIComponent(r.policy_id)}`,
      })),
  },
};
