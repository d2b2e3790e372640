import { type Tx, withTenant } from "../../db/tenant.ts";
import type { Policy } from "../../db/types.ts";
import { addDays, isoDay } from "../../domain/dates.ts";
import { catalogTests } from "../../platform/catalog.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { organizationSettings } from "../organizations/organizations.queries.ts";
import { activePeopleOn, personOfUser } from "../people/people.queries.ts";
import { isActiveOn } from "../people/people.service.ts";
import { currentVersion, findPolicy } from "./policies.queries.ts";
import { actingUser, assertNotRetired } from "./policies.rules.ts";

/**
 * Policies whose control asks people to acknowledge them (or that prove no control). The
 * Terms of Service, for one, are published for customers, not acknowledged by staff.
 */
export function asksForAcknowledgement(controlKey: string | null): boolean {
  return (
    controlKey === null || catalogTests(controlKey).some((t) => t.key === "policy-acknowledged")
  );
}

export function inAudience(
  policy: Pick<Policy, "audience_all" | "audience_job_roles">,
  jobRole: string | null,
): boolean {
  return policy.audience_all || (jobRole !== null && policy.audience_job_roles.includes(jobRole));
}

/** The signed-in person acknowledges the current version of a policy that applies to them. */
export async function acknowledgePolicy(ctx: Context, policyId: string, versionId: string) {
  const user = actingUser(ctx.actor);
  const acknowledgedAt = await applyChange(ctx, "policies", async ({ tx, audit }) => {
    const policy = await findPolicy(tx, policyId);
    assertNotRetired(policy);
    const current = await currentVersion(tx, policyId);
    if (!current || current.id !== versionId) {
      throw errors.validation("versionId", "is not the current published version of this policy");
    }
    const person = await personOfUser(tx, user.userId);
    if (
      !person ||
      !isActiveOn(person, isoDay(new Date())) ||
      !inAudience(policy, person.job_role)
    ) {
      throw errors.invalidState("This policy does not apply to you.");
    }
    // Acknowledging twice (a double click, a retry) is done once: the first one stands.
    const now = new Date();
    const inserted = await tx
      .insertInto("policy_acknowledgements")
      .values({
        organization_id: ctx.organizationId,
        version_id: versionId,
        person_id: person.id,
        acknowledged_at: now,
      })
      .onConflict((oc) => oc.columns(["version_id", "person_id"]).doNothing())
      .returning("acknowledged_at")
      .executeTakeFirst();
    if (!inserted) {
      const existing = await tx
        .selectFrom("policy_acknowledgements")
        .select("acknowledged_at")
        .where("version_id", "=", versionId)
        .where("person_id", "=", person.id)
        .executeTakeFirstOrThrow();
      return existing.acknowledged_at;
    }
    await audit({
      action: "policy.acknowledged",
      targetType: "policy_version",
      targetId: versionId,
      after: { policyId, version: current.version, personId: person.id },
    });
    return now;
  });
  return { policyId, versionId, acknowledgedAt };
}

/** "My policies to acknowledge": the current versions that apply to the signed-in person. */
export async function myPolicies(ctx: Context) {
  const user = actingUser(ctx.actor);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const person = await personOfUser(tx, user.userId);
    if (!person || !isActiveOn(person, isoDay(new Date()))) return [];
    const settings = await organizationSettings(tx, ctx.organizationId);
    const rows = await tx
      .selectFrom("policies as p")
      .innerJoin("policy_versions as v", (join) =>
        join.onRef("v.policy_id", "=", "p.id").on("v.status", "=", "published"),
      )
      .leftJoin("policy_acknowledgements as a", (join) =>
        join.onRef("a.version_id", "=", "v.id").on("a.person_id", "=", person.id),
      )
      .select([
        "p.id",
        "p.title",
        "p.control_key",
        "p.audience_all",
        "p.audience_job_roles",
        "v.id as version_id",
        "v.version",
        "v.published_at",
        "a.acknowledged_at",
      ])
      .where("p.retired_at", "is", null)
      .orderBy("p.title")
      .execute();
    return rows
      .filter((r) => asksForAcknowledgement(r.control_key) && inAudience(r, person.job_role))
      .map((r) => {
        const from = new Date(
          Math.max(
            (r.published_at as Date).getTime(),
            new Date(`${person.start_date}T00:00:00Z`).getTime(),
          ),
        );
        return {
          policyId: r.id,
          title: r.title,
          versionId: r.version_id,
          version: r.version,
          publishedAt: r.published_at as Date,
          acknowledgedAt: r.acknowledged_at,
          dueAt: addDays(from, settings.policyAcknowledgementDays),
        };
      });
  });
}

/** Who in the policy's audience, active today, acknowledged the version and who has not. */
export async function acknowledgementSummary(tx: Tx, policy: Policy, versionId: string) {
  const today = isoDay(new Date());
  const people = await tx
    .selectFrom(activePeopleOn(tx, today).as("p"))
    .leftJoin("policy_acknowledgements as a", (join) =>
      join.onRef("a.person_id", "=", "p.id").on("a.version_id", "=", versionId),
    )
    .select(["p.id", "p.name", "p.job_role", "a.acknowledged_at"])
    .execute();
  const audience = people.filter((p) => inAudience(policy, p.job_role));
  return {
    audience: audience.length,
    acknowledged: audience.filter((p) => p.acknowledged_at !== null).length,
    pending: audience
      .filter((p) => p.acknowledged_at === null)
      .map((p) => ({ personId: p.id, name: p.name })),
  };
}
