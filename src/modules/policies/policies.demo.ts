import type { Insertable, Kysely } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { Database, PolicyAcknowledgementsTable } from "../../db/types.ts";
import { placeholderValues } from "../../domain/company-profile.ts";
import { addDays, isoDay } from "../../domain/dates.ts";
import { fillPlaceholders, removeTemplateNote } from "../../domain/policy-text.ts";
import type { DemoContext, DemoPerson } from "../area.ts";
import { organizationFacts } from "../organizations/organizations.service.ts";
import { loadTemplates } from "./templates.ts";

/** Days before today each policy was published, by control; the rest follow in between. */
const PUBLISHED_AGO: Record<string, number> = {
  "information-security-policy": 392,
  "acceptable-use-policy": 388,
  // Published a year and three weeks ago and not reviewed since: failing, for a real reason.
  "bcdr-policy": 385,
  "access-control-termination-policy": 380,
  // Its annual review comes due in two weeks.
  "data-classification-policy": 351,
  // Version 2 followed the spring tabletop exercise (publishDemoRevision, from the incidents demo).
  "incident-response-plan": 351,
};
/** Reviewed this autumn, a year after publication. */
const REVIEWED_AGO: Record<string, number> = {
  "information-security-policy": 30,
  "acceptable-use-policy": 25,
  "access-control-termination-policy": 16,
};
/** The policy the newest-but-one joiner still has not acknowledged, seven weeks in. */
const MISSED_BY_LATE_JOINER = "data-retention-disposal-policy";

/**
 * Demo Co's policies: every template written up from the company profile by the security
 * engineer, approved by the owner over the program's first months, reviewed a year on, and
 * acknowledged by each person within three weeks of publication or of their start.
 */
export async function seedDemoPolicies(db: Kysely<Database>, demo: DemoContext): Promise<void> {
  demo.progress("policies: every template, published over the program's first months");
  const author = demo.people[1] ?? demo.people[0];
  if (!author) throw new Error("the people area seeds before the policies");
  const approver = demo.owner;
  const profile = await withTenant(db, demo.organizationId, (tx) => organizationFacts(tx));
  const templates = loadTemplates();
  const versions: { id: string; policyId: string; controlKey: string; published: Date }[] = [];
  await withTenant(db, demo.organizationId, async (tx) => {
    for (const [k, template] of templates.entries()) {
      const ago = PUBLISHED_AGO[template.controlKey] ?? 340 - k * 9;
      const published = at(addDays(demo.now, -ago), 15);
      const drafted = addDays(published, -12);
      const submitted = addDays(published, -2);
      const values = {
        ...placeholderValues(profile.name, profile.companyProfile),
        effective_date: isoDay(published),
      };
      const policy = await tx
        .insertInto("policies")
        .values({
          organization_id: demo.organizationId,
          template_key: template.key,
          control_key: template.controlKey,
          title: template.title,
          visibility: template.visibility,
          created_by: author.userId,
          created_at: drafted,
          updated_at: published,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await tx
        .insertInto("policy_visibility_changes")
        .values({
          organization_id: demo.organizationId,
          policy_id: policy.id,
          visibility: template.visibility,
          changed_at: drafted,
          changed_by: author.userId,
        })
        .execute();
      const version = await tx
        .insertInto("policy_versions")
        .values({
          organization_id: demo.organizationId,
          policy_id: policy.id,
          version: 1,
          body: removeTemplateNote(fillPlaceholders(template.body, values)),
          status: "published",
          author_id: author.userId,
          created_at: drafted,
          updated_at: published,
          submitted_at: submitted,
          published_at: published,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const approvals: {
        kind: "publication" | "review";
        approved_at: Date;
        comment: string | null;
      }[] = [{ kind: "publication", approved_at: published, comment: null }];
      const reviewedAgo = REVIEWED_AGO[template.controlKey];
      if (reviewedAgo !== undefined) {
        approvals.push({
          kind: "review",
          approved_at: at(addDays(demo.now, -reviewedAgo), 11),
          comment: "Reviewed with the team: still accurate, no change needed.",
        });
      }
      await tx
        .insertInto("policy_approvals")
        .values(
          approvals.map((approval) => ({
            ...approval,
            organization_id: demo.organizationId,
            version_id: version.id,
            approver_id: approver.userId,
            approver_role: "owner",
          })),
        )
        .execute();
      versions.push({
        id: version.id,
        policyId: policy.id,
        controlKey: template.controlKey,
        published,
      });
      const target = { targetType: "policy", targetId: policy.id };
      demo.event({
        at: drafted,
        actor: author,
        action: "policy.created",
        ...target,
        after: { title: template.title },
      });
      demo.event({
        at: submitted,
        actor: author,
        action: "policy.submitted",
        ...target,
        after: { version: 1 },
      });
      demo.event({
        at: published,
        actor: approver,
        action: "policy.published",
        ...target,
        after: { version: 1 },
      });
      for (const approval of approvals.slice(1)) {
        demo.event({
          at: approval.approved_at,
          actor: approver,
          action: "policy.reviewed",
          ...target,
          after: { version: 1, comment: approval.comment },
        });
      }
    }
  });
  demo.counts.policies = versions.length;

  demo.progress("acknowledgements: each person within three weeks");
  const newest = demo.people.at(-1);
  const lateJoiner = demo.people.at(-2);
  let acknowledgements = 0;
  for (const version of versions) {
    const acknowledged: Acknowledged[] = [];
    for (const person of demo.people) {
      if (person === newest) continue;
      if (person === lateJoiner && version.controlKey === MISSED_BY_LATE_JOINER) continue;
      const acknowledgedAt = acknowledgement(demo, person, version.published);
      if (acknowledgedAt) acknowledged.push({ person, acknowledgedAt });
    }
    acknowledgements += await recordAcknowledgements(
      db,
      demo,
      { id: version.id, policyId: version.policyId, version: 1 },
      acknowledged,
    );
  }
  demo.counts.acknowledgements = acknowledgements;
}

interface Acknowledged {
  person: DemoPerson;
  acknowledgedAt: Date;
}

/** The acknowledgements of a version, each with its audit event; returns how many. */
async function recordAcknowledgements(
  db: Kysely<Database>,
  demo: DemoContext,
  version: { id: string; policyId: string; version: number },
  acknowledged: Acknowledged[],
): Promise<number> {
  const rows: Insertable<PolicyAcknowledgementsTable>[] = [];
  for (const { person, acknowledgedAt } of acknowledged) {
    rows.push({
      organization_id: demo.organizationId,
      version_id: version.id,
      person_id: person.id,
      acknowledged_at: acknowledgedAt,
    });
    demo.event({
      at: acknowledgedAt,
      actor: { userId: person.userId, name: person.name },
      action: "policy.acknowledged",
      targetType: "policy_version",
      targetId: version.id,
      after: { policyId: version.policyId, version: version.version, personId: person.id },
    });
  }
  for (let start = 0; start < rows.length; start += 2000) {
    await withTenant(db, demo.organizationId, (tx) =>
      tx
        .insertInto("policy_acknowledgements")
        .values(rows.slice(start, start + 2000))
        .execute(),
    );
  }
  return rows.length;
}

/** When a person acknowledged a version: 1–21 days after it applied to them, if ever. */
function acknowledgement(demo: DemoContext, person: DemoPerson, published: Date): Date | null {
  const started = new Date(`${person.startDate}T09:00:00Z`);
  const ended = person.endDate ? new Date(`${person.endDate}T17:00:00Z`) : null;
  const applies = started > published ? started : published;
  const when = at(
    addDays(applies, 1 + Math.floor(demo.random() * 21)),
    9 + Math.floor(demo.random() * 8),
  );
  if (when >= demo.now || (ended && when >= ended)) return null;
  return when;
}

/** The day of `date` at `hour`:00 UTC plus a few minutes. */
function at(date: Date, hour: number): Date {
  const day = new Date(`${isoDay(date)}T00:00:00Z`);
  return new Date(day.getTime() + hour * 3_600_000 + (date.getTime() % 3_000_000));
}

/** The demo's policies by control, for the areas that link to them. */
export async function publishedPolicyIds(
  db: Kysely<Database>,
  organizationId: string,
): Promise<Map<string, string>> {
  const rows = await withTenant(db, organizationId, (tx) =>
    tx
      .selectFrom("policies")
      .select(["id", "control_key"])
      .where("control_key", "is not", null)
      .execute(),
  );
  return new Map(rows.map((row) => [row.control_key as string, row.id]));
}

/**
 * A later version of a demo policy, as if written, approved by the owner and acknowledged in
 * the past: the current version superseded at `publishedAt`, the new one published then, and
 * each person's acknowledgement within three weeks. For the areas whose story changes a
 * policy (the incidents demo: the Incident Response Plan after a tabletop exercise).
 */
export async function publishDemoRevision(
  db: Kysely<Database>,
  demo: DemoContext,
  revision: {
    controlKey: string;
    revise: (body: string) => string;
    changeSummary: string;
    author: { userId: string; name: string };
    publishedAt: Date;
  },
): Promise<{ policyId: string; versionId: string; version: number }> {
  const published = at(revision.publishedAt, 14);
  const drafted = addDays(published, -6);
  const submitted = addDays(published, -1);
  const approver = demo.owner;
  const created = await withTenant(db, demo.organizationId, async (tx) => {
    const current = await tx
      .selectFrom("policies as p")
      .innerJoin("policy_versions as v", (join) =>
        join.onRef("v.policy_id", "=", "p.id").on("v.status", "=", "published"),
      )
      .select(["p.id as policyId", "v.id as versionId", "v.version", "v.body"])
      .where("p.control_key", "=", revision.controlKey)
      .where("p.retired_at", "is", null)
      .executeTakeFirstOrThrow();
    await tx
      .updateTable("policy_versions")
      .set({ status: "superseded", superseded_at: published, updated_at: published })
      .where("id", "=", current.versionId)
      .execute();
    const version = current.version + 1;
    const row = await tx
      .insertInto("policy_versions")
      .values({
        organization_id: demo.organizationId,
        policy_id: current.policyId,
        version,
        body: revision.revise(current.body),
        status: "published",
        author_id: revision.author.userId,
        change_summary: revision.changeSummary,
        created_at: drafted,
        updated_at: published,
        submitted_at: submitted,
        published_at: published,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("policy_approvals")
      .values({
        organization_id: demo.organizationId,
        version_id: row.id,
        kind: "publication",
        approver_id: approver.userId,
        approver_role: "owner",
        approved_at: published,
        comment: null,
      })
      .execute();
    await tx
      .updateTable("policies")
      .set({ updated_at: published })
      .where("id", "=", current.policyId)
      .execute();
    return { policyId: current.policyId, versionId: row.id, version };
  });
  const target = { targetType: "policy", targetId: created.policyId };
  const version = created.version;
  demo.event({
    at: submitted,
    actor: revision.author,
    action: "policy.submitted",
    ...target,
    after: { version },
  });
  demo.event({
    at: published,
    actor: approver,
    action: "policy.published",
    ...target,
    after: { version },
  });

  const acknowledged: Acknowledged[] = [];
  for (const person of demo.people) {
    const acknowledgedAt = acknowledgement(demo, person, published);
    if (acknowledgedAt && person !== demo.people.at(-1))
      acknowledged.push({ person, acknowledgedAt });
  }
  const count = await recordAcknowledgements(
    db,
    demo,
    { id: created.versionId, policyId: created.policyId, version },
    acknowledged,
  );
  demo.counts.acknowledgements = (demo.counts.acknowledgements ?? 0) + count;
  return created;
}
