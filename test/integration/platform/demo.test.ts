import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChains } from "../../../src/modules/audit-log/audit-log.service.ts";
import { seedDemoOrganization } from "../../../src/modules/demo.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import { Client, createTestApp, type TestApp } from "../../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

// Seeding is a year of records of every area: more than the default 30 s on a loaded machine.
describe("the demo organization", { timeout: 120_000 }, () => {
  it("should seed a small organization whose owner signs in and whose trust center is live", async () => {
    const demo = await seedDemoOrganization(t.deps.db, { size: "small" });
    expect(demo.counts.people).toBeGreaterThan(10);
    // The seeded year of audit events continues the chain setup began, unbroken.
    const chain = (await verifyAuditChains(t.deps.db)).find(
      (result) => result.organizationId === demo.organizationId,
    );
    expect(chain?.firstBreak).toBeNull();
    expect(chain?.eventsChecked).toBeGreaterThan(demo.counts.auditEvents ?? 0);

    const owner = new Client(t.app);
    const login = await owner.post("/api/v1/auth/login", {
      email: demo.ownerEmail,
      password: demo.password,
    });
    expect(login.status).toBe(200);
    const policies = await owner.get("/api/v1/policies");
    expect(policies.body.items.length).toBe(11);
    // Every published policy is finished text, filled from Demo Co's company profile.
    const organization = await owner.get("/api/v1/organization");
    expect(organization.body.companyProfile.legalEntity).toBe("Demo Co Ltd");
    for (const item of policies.body.items as { id: string }[]) {
      const policy = (await owner.get(`/api/v1/policies/${item.id}`)).body;
      expect(policy.versions[0], policy.title).toMatchObject({
        status: "published",
        placeholders: [],
        templateNote: false,
      });
      expect(policy.versions[0].body).not.toContain("{{");
    }

    const visitor = new Client(t.app);
    const page = await visitor.request("GET", "/trust");
    expect(page.status).toBe(200);
    const text = String(page.body);
    expect(text).toContain("Demo Co");
    expect(text).toContain("No impact from the OpenSSL advisory");
    // The notice to the customers the critical incident affected, resolved, is on record.
    expect(text).toContain("data exports were publicly readable");
    expect(text).toContain("Incident Response Plan");
    // Its controls are chosen, and only those in place are listed.
    const summary = await owner.get("/api/v1/trust-center/publish-summary");
    const center = (await owner.get("/api/v1/trust-center")).body;
    expect(center.draft).toMatchObject({ controlSelection: "chosen", onlyInPlace: true });
    expect(center.draft.shownCategories.length).toBeGreaterThan(0);
    expect(summary.body.controls.inProgress).toBe(0);
    expect(summary.body.controls.shown).toBeGreaterThan(0);
    expect(text).toContain('id="controls"');
    expect(text).not.toContain("In progress");

    const notices = await owner.get("/api/v1/notices");
    expect(notices.body.items.map((n: { status: string }) => n.status).sort()).toEqual([
      "published",
      "resolved",
      "resolved",
    ]);
  });

  it("should tell a believable year: real names, dated records, an audit trail of what happened, most controls passing", async () => {
    const seeding = Date.now();
    const demo = await seedDemoOrganization(t.deps.db, { size: "small" });
    await reevaluate(t.deps.db, demo.organizationId);
    const owner = new Client(t.app);
    await owner.post("/api/v1/auth/login", { email: demo.ownerEmail, password: demo.password });

    const people = (await owner.get("/api/v1/people?limit=100")).body.items as { name: string }[];
    expect(people.length).toBe(40);
    for (const person of people) expect(person.name).toMatch(/^\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+$/u);
    expect(new Set(people.map((p) => p.name)).size).toBe(people.length);

    // The trail is the year the records tell, in date order, about many different records.
    const rows = await t.deps.db
      .selectFrom("audit_events")
      .select(["seq", "action", "target_id", "actor_id", "created_at"])
      .where("organization_id", "=", demo.organizationId)
      .orderBy("seq")
      .execute();
    // (What the areas seeded through their services is today's; the year came before it.)
    const seeded = rows.filter((row) => new Date(row.created_at).getTime() < seeding);
    const times = seeded.map((row) => new Date(row.created_at).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(seeded.map((row) => row.target_id)).size).toBeGreaterThan(60);
    expect(new Set(seeded.map((row) => row.actor_id)).size).toBeGreaterThan(20);
    const actions = new Set(rows.map((row) => row.action));
    for (const action of [
      "policy.published",
      "policy.acknowledged",
      "person.created",
      "auth.login",
    ]) {
      expect(actions.has(action), action).toBe(true);
    }

    // Of the controls Attest can evaluate today, most pass; the others fail or come due for
    // reasons that name their records.
    const dashboard = (await owner.get("/api/v1/dashboard")).body;
    const { passing, failing, needs_attention } = dashboard.overall.counts;
    expect(passing).toBeGreaterThan(failing + needs_attention);
    expect(failing + needs_attention).toBeGreaterThan(0);
    for (const control of dashboard.attention as { tests: { offenders: unknown[] }[] }[]) {
      expect(control.tests.some((test) => test.offenders.length > 0)).toBe(true);
    }

    // Systems and access: a year of joiners, leavers and role changes, one late revocation and
    // one unclaimed account on a production system, which their controls name.
    expect(demo.counts.systems).toBeGreaterThanOrEqual(12);
    expect(demo.counts.grants).toBeGreaterThan(100);
    expect(demo.counts.roleChanges).toBe(2);
    const access = await sql<{
      late: number;
      unlinked: number;
      joinerTasks: number;
      requests: number;
    }>`
      SELECT
        (SELECT count(DISTINCT g.person_id)::int FROM access_grants g JOIN people p ON p.id = g.person_id
          WHERE g.organization_id = ${demo.organizationId}
            AND g.revoked_at > p.end_date::timestamptz + interval '3 days') AS late,
        (SELECT count(*)::int FROM accounts a JOIN systems s ON s.id = a.system_id
          WHERE a.organization_id = ${demo.organizationId} AND a.person_id IS NULL
            AND a.removed_at IS NULL AND s.production) AS unlinked,
        (SELECT count(*)::int FROM access_tasks WHERE organization_id = ${demo.organizationId}
          AND reason = 'joiner' AND completed_at IS NOT NULL) AS "joinerTasks",
        (SELECT count(*)::int FROM access_requests WHERE organization_id = ${demo.organizationId}) AS requests
    `.execute(t.deps.db);
    expect(access.rows[0]).toMatchObject({ late: 1, unlinked: 1 });
    expect(access.rows[0]?.joinerTasks).toBeGreaterThan(0);
    expect(access.rows[0]?.requests).toBeGreaterThan(0);
    const testOf = async (control: string, key: string) =>
      ((await owner.get(`/api/v1/controls/${control}`)).body.tests ?? []).find(
        (test: { key: string; state: string }) =>
          test.key === key && test.state !== "not_evaluated",
      );
    // (Each check is asserted once its area's checks are in.)
    const removal = await testOf("access-removal", "terminated-access-removed");
    if (removal) expect(removal.state).toBe("failing");
    const unique = await testOf("unique-access-ids", "accounts-unique");
    if (unique) expect(unique.state).toBe("failing");
    for (const [control, key] of [
      ["data-classification-policy", "systems-classified"],
      ["asset-inventory", "assets-owned"],
      ["asset-inventory", "inventory-reviewed"],
      ["customer-data-access-restricted", "customer-data-need-to-know"],
      ["admin-access-restricted", "admin-grants-approved"],
      ["least-privilege", "grants-justified"],
    ]) {
      const test = await testOf(control as string, key as string);
      if (test) expect(test.state, `${key}: ${JSON.stringify(test.offenders)}`).toBe("passing");
    }

    await expectVulnerabilityStory(demo.organizationId, testOf);
    await expectIncidentStory(demo.organizationId, testOf);
    // issue 15: customers
    await expectCustomerStory(testOf);
  });
});

/**
 * The vulnerabilities area's year: every scanned system scanned lately, findings fixed within
 * their SLA but for the pentest's overdue medium (the one reason vulnerabilities-within-sla
 * fails), one comeback at least, one false positive, one risk accepted by someone other than
 * who asked, and this year's external pentest with its report and its high finding retested
 * in time. Read from the records, then from the checks once they are in.
 */
async function expectVulnerabilityStory(
  organizationId: string,
  testOf: (control: string, key: string) => Promise<{ state: string; offenders: unknown[] }>,
) {
  const story = await sql<Record<string, number>>`
    SELECT
      (SELECT count(*)::int FROM systems s WHERE s.organization_id = ${organizationId}
        AND s.scanned) AS scanned,
      (SELECT count(*)::int FROM systems s WHERE s.organization_id = ${organizationId}
        AND s.scanned AND EXISTS (SELECT 1 FROM scan_imports i WHERE i.system_id = s.id
          AND i.scanned_at > now() - interval '8 days')) AS "scannedLately",
      (SELECT count(DISTINCT tool)::int FROM scan_imports
        WHERE organization_id = ${organizationId}) AS tools,
      (SELECT count(*)::int FROM scan_imports WHERE organization_id = ${organizationId}) AS scans,
      (SELECT count(*)::int FROM findings WHERE organization_id = ${organizationId}
        AND source = 'scan' AND status = 'resolved') AS resolved,
      (SELECT count(*)::int FROM findings WHERE organization_id = ${organizationId}
        AND resolved_at > due_at) AS "resolvedLate",
      (SELECT count(*)::int FROM findings WHERE organization_id = ${organizationId}
        AND deadline_at < now()) AS overdue,
      (SELECT count(*)::int FROM findings WHERE organization_id = ${organizationId}
        AND deadline_at BETWEEN now() AND now() + interval '3 days') AS "dueSoon",
      (SELECT count(DISTINCT p.finding_id)::int FROM finding_periods p
        JOIN finding_periods r ON r.finding_id = p.finding_id AND r.status = 'resolved'
          AND r.valid_to = p.valid_from
        WHERE p.organization_id = ${organizationId} AND p.status = 'open') AS reopened,
      (SELECT count(*)::int FROM findings WHERE organization_id = ${organizationId}
        AND status = 'false_positive') AS "falsePositives",
      (SELECT count(*)::int FROM findings f JOIN finding_acceptances a ON a.finding_id = f.id
        WHERE f.organization_id = ${organizationId} AND f.status = 'risk_accepted'
          AND a.decision = 'approved' AND a.decided_by <> a.requested_by
          AND a.expires_at BETWEEN now() + interval '30 days' AND now() + interval '200 days'
          AND f.deadline_at = a.expires_at) AS accepted,
      (SELECT count(*)::int FROM findings f JOIN finding_periods p ON p.finding_id = f.id
        WHERE f.organization_id = ${organizationId}
          AND (f.deadline_at IS DISTINCT FROM p.deadline_at OR f.status <> p.status)
          AND p.valid_to IS NULL) AS "currentMismatch"
  `.execute(db());
  expect(story.rows[0]).toMatchObject({
    scanned: 4,
    scannedLately: 4,
    tools: 3,
    resolvedLate: 0,
    overdue: 1,
    dueSoon: 0,
    falsePositives: 1,
    accepted: 1,
    currentMismatch: 0,
  });
  expect(story.rows[0]?.scans).toBeGreaterThan(100);
  expect(story.rows[0]?.resolved).toBeGreaterThan(50);
  expect(story.rows[0]?.reopened).toBeGreaterThan(0);

  const pentests = await sql<{ name: string; report: string | null; high: string; medium: string }>`
    SELECT p.name, e.title AS report,
      (SELECT f.status FROM findings f WHERE f.pentest_id = p.id AND f.severity = 'high'
        AND f.resolved_at <= f.due_at) AS high,
      (SELECT f.status FROM findings f WHERE f.pentest_id = p.id AND f.severity = 'medium'
        AND f.deadline_at < now()) AS medium
    FROM pentests p LEFT JOIN evidence e ON e.id = p.report_evidence_id
    WHERE p.organization_id = ${organizationId} AND p.firm_kind = 'external'
      AND p.scope_network AND p.scope_application AND p.scope_production
      AND p.completed_on BETWEEN current_date - 80 AND current_date - 70`.execute(db());
  expect(pentests.rows).toEqual([
    {
      name: "Annual penetration test 2026",
      report: "Penetration test report 2026",
      high: "resolved",
      medium: "open",
    },
  ]);

  // (Each check is asserted once its area's checks are in.)
  const withinSla = await testOf(
    "vulnerability-patch-management-policy",
    "vulnerabilities-within-sla",
  );
  if (withinSla) {
    expect(withinSla.state).toBe("failing");
    expect(JSON.stringify(withinSla.offenders)).toContain("No rate limit on the password reset");
    expect(withinSla.offenders).toHaveLength(1);
  }
  for (const [control, key] of [
    ["vulnerability-patch-management-policy", "scans-recent"],
    ["third-party-penetration-test", "pentest-annual"],
    ["third-party-penetration-test", "pentest-findings-resolved"],
  ] as const) {
    const test = await testOf(control, key);
    if (test) expect(test.state, `${key}: ${JSON.stringify(test.offenders)}`).toBe("passing");
  }
}

/**
 * The incidents area's year: six incidents, each triaged within a day; the critical one
 * affected customers, whose notice went out within 72 hours of its triage; lessons learned
 * approved and shared within 14 days of each resolution but the malware incident's, resolved
 * 20 days ago and still a draft (the one reason incident-lessons-learned fails); one open
 * action item; two tabletops, the recent one's outcome carried by version 2 of the Incident
 * Response Plan.
 */
async function expectIncidentStory(
  organizationId: string,
  testOf: (control: string, key: string) => Promise<{ state: string; offenders: unknown[] }>,
) {
  const story = await sql<Record<string, number>>`
    SELECT
      (SELECT count(*)::int FROM incidents WHERE organization_id = ${organizationId}) AS incidents,
      (SELECT count(DISTINCT severity)::int FROM incidents
        WHERE organization_id = ${organizationId}) AS severities,
      (SELECT count(*)::int FROM incidents WHERE organization_id = ${organizationId}
        AND triaged_at > reported_at + interval '24 hours') AS "triagedLate",
      (SELECT count(*)::int FROM incidents i JOIN notices n ON n.incident_id = i.id
        WHERE i.organization_id = ${organizationId} AND i.customers_affected
          AND i.severity = 'critical'
          AND n.published_at <= i.triaged_at + interval '72 hours'
          AND n.subscribers_notified_at <= i.triaged_at + interval '72 hours') AS "notifiedInTime",
      (SELECT count(*)::int FROM incidents i JOIN incident_lessons l ON l.incident_id = i.id
        WHERE i.organization_id = ${organizationId} AND l.status = 'draft'
          AND i.resolved_at BETWEEN now() - interval '21 days' AND now() - interval '19 days') AS "lateDraft",
      (SELECT count(*)::int FROM incidents i JOIN incident_lessons l ON l.incident_id = i.id
        WHERE i.organization_id = ${organizationId} AND l.status = 'approved'
          AND l.approved_by <> l.author_id AND l.shared_at IS NOT NULL
          AND l.approved_at <= i.resolved_at + interval '14 days') AS "approvedInTime",
      (SELECT count(*)::int FROM incident_action_items WHERE organization_id = ${organizationId}
        AND completed_at IS NULL AND due_on >= current_date) AS "openItems",
      (SELECT count(*)::int FROM incidents WHERE organization_id = ${organizationId}
        AND status IN ('reported', 'triaged', 'contained')) AS "open",
      (SELECT count(*)::int FROM ir_exercises e WHERE e.organization_id = ${organizationId}
        AND e.kind = 'tabletop' AND e.completed_at IS NOT NULL
        AND EXISTS (SELECT 1 FROM ir_exercise_participants p WHERE p.exercise_id = e.id AND p.attended)
        AND EXISTS (SELECT 1 FROM ir_exercise_outcomes o WHERE o.exercise_id = e.id)) AS tabletops,
      (SELECT count(*)::int FROM ir_exercise_outcomes o
        JOIN policy_versions v ON v.id = o.policy_version_id
        JOIN policies p ON p.id = v.policy_id
        WHERE o.organization_id = ${organizationId} AND p.control_key = 'incident-response-plan'
          AND v.version = 2 AND v.status = 'published'
          AND v.body LIKE '%phone bridge%') AS "planChanges"
  `.execute(db());
  expect(story.rows[0]).toMatchObject({
    incidents: 6,
    severities: 4,
    triagedLate: 0,
    notifiedInTime: 1,
    lateDraft: 1,
    approvedInTime: 4,
    openItems: 1,
    open: 1,
    tabletops: 2,
    planChanges: 1,
  });

  const lessons = await testOf("incident-lessons-learned", "lessons-learned-shared");
  expect(lessons?.state).toBe("failing");
  expect(lessons?.offenders).toHaveLength(1);
  expect(JSON.stringify(lessons?.offenders)).toContain("Malware on a designer");
  for (const [control, key] of [
    ["incident-tracking", "incidents-triaged"],
    ["incident-tracking", "incidents-progressing"],
    ["critical-information-communication", "customers-notified"],
    ["incident-response-plan-testing", "ir-plan-exercised"],
    ["incident-response-plan-testing", "ir-plan-updated"],
    // Version 2, published after the tabletop, is approved and acknowledged by everyone.
    ["incident-response-plan", "policy-published"],
    ["incident-response-plan", "policy-reviewed"],
    ["incident-response-plan", "policy-acknowledged"],
  ] as const) {
    const test = await testOf(control, key);
    expect(test?.state, `${key}: ${JSON.stringify(test?.offenders)}`).toBe("passing");
  }
  // The data classification policy's annual review comes due in two weeks.
  const review = await testOf("data-classification-policy", "policy-reviewed");
  expect(review?.state).toBe("due_soon");
}

const db = () => t.deps.db;

/**
 * The customers' year (issue 15): 25 customers, each with retention agreed or the default
 * applied; every ended contract's data disposed of in time but Orbital Freight's support desk.
 */
async function expectCustomerStory(
  testOf: (control: string, key: string) => Promise<{ state: string; offenders: unknown[] }>,
) {
  const agreed = await testOf("customer-data-retention", "retention-agreed");
  expect(agreed?.state).toBe("passing");
  const disposal = await testOf("customer-data-retention", "disposal-on-time");
  expect(disposal?.state).toBe("failing");
  expect(disposal?.offenders).toHaveLength(1);
  expect(JSON.stringify(disposal?.offenders)).toContain("Orbital Freight: Support desk");
}
