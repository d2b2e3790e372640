import { type Kysely, sql } from "kysely";
import { withSystem, withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays, isoDay } from "../../domain/control-status.ts";
import type { Context } from "../../platform/context.ts";
import { hashPassword } from "../../platform/passwords.ts";
import { appendBulkEvents } from "../audit-log/audit-log.bulk.ts";
import { seedDemoEvidence } from "../evidence/evidence.demo.ts";
import { createNotice, publishNotice, resolveNotice } from "../notices/notices.service.ts";
import { createOrganizationWithOwner } from "../organizations/organizations.service.ts";
import { publish, updateDraft } from "../trust-center/trust-center.service.ts";
import { createPolicyDocument } from "../trust-documents/trust-documents.service.ts";
import { seedDemoPolicies } from "./demo-policies.ts";

/**
 * A sample organization with realistic data, for trying Attest (`attest demo`) and for the
 * benchmarks (`--size large`: 10,000 people, every policy published and mostly acknowledged,
 * a year of daily snapshots and 1,000,000 audit events). Tables later areas add (systems,
 * grants, findings, incidents) are filled by those areas.
 */
export const DEMO_SIZES = {
  small: { people: 40, auditEvents: 2_000, historyDays: 90 },
  large: { people: 10_000, auditEvents: 1_000_000, historyDays: 365 },
} as const;
export type DemoSize = keyof typeof DEMO_SIZES;

const JOB_ROLES = [
  "Engineer",
  "Engineer",
  "Engineer",
  "Product",
  "Sales",
  "Support",
  "Finance",
  "People",
  "Security",
  "Design",
];
const FIRST = [
  "Ada",
  "Grace",
  "Alan",
  "Edsger",
  "Barbara",
  "Ken",
  "Radia",
  "Linus",
  "Margaret",
  "Dennis",
  "Frances",
  "John",
  "Hedy",
  "Tim",
  "Katherine",
  "Guido",
];
const LAST = [
  "Lovelace",
  "Hopper",
  "Turing",
  "Dijkstra",
  "Liskov",
  "Thompson",
  "Perlman",
  "Torvalds",
  "Hamilton",
  "Ritchie",
  "Allen",
  "McCarthy",
  "Lamarr",
  "Berners-Lee",
  "Johnson",
  "van Rossum",
];

export interface DemoResult {
  organizationId: string;
  ownerEmail: string;
  password: string;
  counts: Record<string, number>;
}

export async function seedDemoOrganization(
  db: Kysely<Database>,
  options: {
    size: DemoSize;
    ownerEmail?: string;
    password?: string;
    progress?: (message: string) => void;
  },
): Promise<DemoResult> {
  const size = DEMO_SIZES[options.size];
  const progress = options.progress ?? (() => {});
  const password = options.password ?? "attest demo password";
  const ownerEmail = options.ownerEmail ?? `owner-${Date.now()}@demo.attest.test`;
  const now = new Date();
  const passwordHash = await hashPassword(password);
  const { organizationId, userId } = await withSystem(db, (tx) =>
    createOrganizationWithOwner(
      tx,
      { organizationName: "Demo Co", name: "Dana Owner", email: ownerEmail, password },
      passwordHash,
      null,
    ),
  );
  const counts: Record<string, number> = {};

  progress(`people: ${size.people}`);
  const personIds: string[] = [];
  for (let start = 0; start < size.people; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, size.people - start) }, (_, k) => {
      const i = start + k;
      const first = FIRST[i % FIRST.length] as string;
      const last = LAST[Math.floor(i / FIRST.length) % LAST.length] as string;
      const started = addDays(now, -30 - ((i * 37) % 1500));
      // One in twenty has left.
      const ended = i % 20 === 19 ? addDays(now, -((i * 13) % 300)) : null;
      return {
        organization_id: organizationId,
        name: `${first} ${last} ${i}`,
        email: `${first}.${last}.${i}@demo.attest.test`.toLowerCase(),
        job_role: JOB_ROLES[i % JOB_ROLES.length] as string,
        start_date: isoDay(started),
        end_date: ended && ended > started ? isoDay(ended) : null,
      };
    });
    const ids = await withTenant(db, organizationId, (tx) =>
      tx.insertInto("people").values(batch).returning("id").execute(),
    );
    personIds.push(...ids.map((r) => r.id));
  }
  counts.people = personIds.length + 1;

  progress("policies: every template, published 200 days ago");
  const published = addDays(now, -200);
  const { versionIds, policyIds } = await seedDemoPolicies(
    db,
    organizationId,
    { userId, name: "Dana Owner" },
    published,
  );
  counts.policies = versionIds.length;

  progress("acknowledgements: 97% of people, each policy");
  let acknowledgements = 0;
  for (const versionId of versionIds) {
    for (let start = 0; start < personIds.length; start += 2000) {
      const rows = personIds
        .slice(start, start + 2000)
        .filter((_, k) => (start + k) % 33 !== 7)
        .map((personId, k) => ({
          organization_id: organizationId,
          version_id: versionId,
          person_id: personId,
          acknowledged_at: addDays(published, 1 + ((start + k) % 25)),
        }));
      if (rows.length === 0) continue;
      await withTenant(db, organizationId, (tx) =>
        tx.insertInto("policy_acknowledgements").values(rows).execute(),
      );
      acknowledgements += rows.length;
    }
  }
  counts.acknowledgements = acknowledgements;

  progress("trust center: published, with two gated documents and two notices");
  const ctx: Context = {
    db,
    organizationId,
    actor: { type: "user", userId, name: "Dana Owner", role: "owner" },
    requestId: null,
  };
  await seedTrustCenter(ctx, policyIds);
  counts.notices = 2;

  progress(`audit events: ${size.auditEvents}`);
  counts.auditEvents = await seedAuditEvents(
    db,
    organizationId,
    userId,
    size.auditEvents,
    now,
    progress,
  );

  progress("evidence: links on a dozen controls, some expiring, two expired");
  counts.evidence = await seedDemoEvidence(db, organizationId, { userId, name: "Dana Owner" }, now);

  // Fresh statistics, so the planner knows these tables are no longer empty.
  await sql`analyze`.execute(db);
  return { organizationId, ownerEmail, password, counts };
}

/**
 * What a visitor of the demo's trust center sees: the page, gated documents, notices. Its
 * controls are chosen as an admin would: the categories the policies cover, plus encryption at
 * rest, and only those in place, so the page never advertises work still in progress.
 */
async function seedTrustCenter(ctx: Context, policyIds: Map<string, string>) {
  await updateDraft(ctx, {
    tagline: "Security and privacy at Demo Co",
    contactEmail: "security@demo.attest.test",
    shownCategories: ["Availability", "Confidentiality", "Incident Response", "Communications"],
    shownControls: ["encryption-at-rest", "access-control-termination-policy"],
    onlyInPlace: true,
  });
  await publish(ctx);
  for (const [controlKey, title] of [
    ["incident-response-plan", "Incident Response Plan"],
    ["bcdr-policy", "Business Continuity and Disaster Recovery Policy"],
  ] as const) {
    const policyId = policyIds.get(controlKey);
    if (!policyId) continue;
    await createPolicyDocument(ctx, {
      title,
      description: "Our internal policy, shared under NDA.",
      access: "gated",
      shown: true,
      position: 0,
      policyId,
    });
  }
  const maintenance = await createNotice(ctx, {
    title: "Scheduled database maintenance",
    body: "The service will be read-only for up to 15 minutes while we upgrade the database.",
    severity: "info",
    kind: "maintenance",
    affectedServices: ["API", "Web app"],
  });
  await publishNotice(ctx, maintenance.id, { notifySubscribers: false });
  await resolveNotice(ctx, maintenance.id, {
    note: "Maintenance finished.",
    notifySubscribers: false,
  });
  const advisory = await createNotice(ctx, {
    title: "No impact from the OpenSSL advisory",
    body: "We reviewed the advisory; no system of ours uses an affected version.",
    severity: "low",
    kind: "security",
    affectedServices: [],
  });
  await publishNotice(ctx, advisory.id, { notifySubscribers: false });
}

const ACTIONS = [
  "auth.login",
  "policy.acknowledged",
  "person.updated",
  "control.updated",
  "auth.logout",
];

async function seedAuditEvents(
  db: Kysely<Database>,
  organizationId: string,
  userId: string,
  total: number,
  now: Date,
  progress: (message: string) => void,
): Promise<number> {
  // Spread over the past year, oldest first, ending before the events setup just wrote… which
  // are newer: so seeded events take the sequence after them but carry earlier times. The
  // chain is over sequence order, so it verifies either way.
  const start = addDays(now, -365).getTime();
  const step = (365 * 86_400_000) / Math.max(total, 1);
  await appendBulkEvents(
    db,
    organizationId,
    total,
    (i) => ({
      actorId: userId,
      actorName: "Dana Owner",
      action: ACTIONS[i % ACTIONS.length] as string,
      targetType: "user",
      targetId: userId,
      before: null,
      after: { demo: true, n: i },
      createdAt: new Date(Math.floor(start + i * step)),
    }),
    (batch, written) => {
      if (batch % 50 === 0) progress(`  audit events ${written}/${total}`);
    },
  );
  await withTenant(db, organizationId, (tx) => sql`analyze audit_events`.execute(tx)).catch(
    () => {},
  );
  return total;
}
