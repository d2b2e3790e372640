import type { Kysely } from "kysely";
import type { Classification, SystemKind } from "../../db/tables/systems.ts";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays } from "../../domain/dates.ts";
import type { DemoContext, DemoPerson } from "../area.ts";

/**
 * The demo's inventory: the systems of a software company (small: thirteen; large: about two
 * hundred), each owned by an active person, classified, with the job roles allowed on it and
 * allowed admin, and the role rules the access area seeds from (`rules`). Built when the
 * program started; two systems changed during the year (new versions), one was added after
 * the inventory was signed off ten months ago, so the next sign-off shows what changed.
 */
export interface DemoSystem {
  name: string;
  kind: SystemKind;
  description: string;
  production: boolean;
  classification: Classification;
  customerData: boolean;
  backedUp: boolean;
  scanned: boolean;
  internetFacing: boolean;
  allowed: string[];
  admin: string[];
  /** Role rules: job role → system role (admin or not). */
  rules: [jobRole: string, systemRole: string, admin: boolean][];
  /** Days ago it entered the inventory. */
  since: number;
  /** Who owns it: a founder (by index among the people) or the first active person of a role. */
  owner: number | string;
  /** A later version: days ago, and what changed. */
  change?: { daysAgo: number; set: Partial<Pick<DemoSystem, "scanned" | "backedUp">> };
}

const ALL = [
  "Engineer",
  "Product",
  "Design",
  "Sales",
  "Customer Success",
  "Finance",
  "People",
  "Security",
  "Marketing",
  "Operations",
];
const BUILT = 390;
/** The inventory sign-off: ten months ago. */
export const DEMO_INVENTORY_SIGNED_DAYS_AGO = 300;

const base = {
  production: false,
  customerData: false,
  backedUp: false,
  scanned: false,
  internetFacing: false,
  admin: [] as string[],
  since: BUILT,
};

const CORE: DemoSystem[] = [
  {
    ...base,
    name: "Production API",
    kind: "application",
    description: "The customer-facing REST API and web app.",
    production: true,
    classification: "restricted",
    customerData: true,
    backedUp: true,
    scanned: false,
    internetFacing: true,
    allowed: ["Engineer", "Security"],
    admin: ["Security"],
    rules: [
      ["Engineer", "deployer", false],
      ["Security", "admin", true],
    ],
    owner: 1,
    change: { daysAgo: 200, set: { scanned: true } },
  },
  {
    ...base,
    name: "Customer database (PostgreSQL)",
    kind: "database",
    description: "The production PostgreSQL cluster.",
    production: true,
    classification: "restricted",
    customerData: true,
    backedUp: true,
    scanned: true,
    allowed: ["Engineer", "Security"],
    admin: ["Security"],
    rules: [
      ["Engineer", "readonly", false],
      ["Security", "superuser", true],
    ],
    owner: 2,
  },
  {
    ...base,
    name: "Customer uploads (S3)",
    kind: "data_store",
    description: "Files customers upload, in S3 buckets.",
    production: true,
    classification: "confidential",
    customerData: true,
    allowed: ["Engineer", "Security"],
    rules: [["Engineer", "read-write", false]],
    owner: 2,
    change: { daysAgo: 150, set: { backedUp: true } },
  },
  {
    ...base,
    name: "AWS production account",
    kind: "infrastructure",
    description: "The AWS account the product runs in.",
    production: true,
    classification: "confidential",
    scanned: true,
    allowed: ["Engineer", "Security", "Operations"],
    admin: ["Security"],
    rules: [
      ["Engineer", "developer", false],
      ["Security", "administrator", true],
      ["Operations", "billing", false],
    ],
    owner: 0,
  },
  {
    ...base,
    name: "GitHub",
    kind: "saas",
    description: "Source code, reviews and issues.",
    classification: "confidential",
    allowed: ["Engineer", "Product", "Design", "Security"],
    admin: ["Security"],
    rules: [
      ["Engineer", "member", false],
      ["Product", "member", false],
      ["Design", "read", false],
      ["Security", "owner", true],
    ],
    owner: 1,
  },
  {
    ...base,
    name: "Google Workspace",
    kind: "saas",
    description: "Mail, calendar and documents.",
    classification: "internal",
    allowed: ALL,
    admin: ["People", "Security"],
    rules: ALL.map((r) => [r, "user", false]),
    owner: 0,
  },
  {
    ...base,
    name: "Slack",
    kind: "saas",
    description: "Company chat.",
    classification: "internal",
    allowed: ALL,
    rules: ALL.map((r) => [r, "member", false]),
    owner: 3,
  },
  {
    ...base,
    name: "Laptop fleet (MDM)",
    kind: "endpoint",
    description: "Company laptops, managed and encrypted.",
    classification: "internal",
    scanned: true,
    allowed: ALL,
    admin: ["Operations", "Security"],
    rules: ALL.map((r) => [r, "enrolled", false]),
    owner: 0,
  },
  {
    ...base,
    name: "CI pipelines",
    kind: "infrastructure",
    description: "Builds, tests and deployments.",
    classification: "confidential",
    allowed: ["Engineer", "Security"],
    rules: [["Engineer", "developer", false]],
    owner: 3,
  },
  {
    ...base,
    name: "Monitoring (Grafana)",
    kind: "application",
    description: "Metrics, logs and alerts.",
    production: true,
    classification: "internal",
    allowed: ["Engineer", "Security", "Operations", "Product"],
    admin: ["Security"],
    rules: [
      ["Engineer", "editor", false],
      ["Security", "admin", true],
    ],
    owner: 3,
  },
  {
    ...base,
    name: "Support desk",
    kind: "saas",
    description: "Customer tickets, with customers' data.",
    classification: "confidential",
    customerData: true,
    internetFacing: true,
    allowed: ["Customer Success", "Sales", "Security"],
    admin: ["Customer Success"],
    rules: [["Customer Success", "agent", false]],
    owner: "Customer Success",
  },
  {
    ...base,
    name: "CRM",
    kind: "saas",
    description: "Customers, deals and contacts.",
    classification: "confidential",
    customerData: true,
    allowed: ["Sales", "Marketing", "Customer Success"],
    rules: [
      ["Sales", "sales-rep", false],
      ["Marketing", "marketer", false],
      ["Customer Success", "viewer", false],
    ],
    owner: "Sales",
    since: 150,
  },
  {
    ...base,
    name: "Payroll",
    kind: "saas",
    description: "Salaries and contracts.",
    classification: "restricted",
    allowed: ["People", "Finance"],
    admin: ["Finance"],
    rules: [
      ["People", "hr-admin", false],
      ["Finance", "payroll", false],
    ],
    owner: "Finance",
  },
];

const DOMAINS =
  "Billing Search Notifications Reports Ledger Identity Ingest Export Audit Scheduler Pricing Webhooks Analytics Catalog Checkout Onboarding Email Files Sync Forecast".split(
    " ",
  );
const PARTS = "service worker database queue cache dashboard workspace tool archive".split(" ");

/** The systems of the demo's size: the core, and for the large demo ~190 more. */
export function demoSystems(size: "small" | "large"): DemoSystem[] {
  if (size === "small") return CORE;
  const extra: DemoSystem[] = [];
  for (let k = 0; extra.length < 187; k++) {
    const role = ALL[k % ALL.length] as string;
    const name = `${DOMAINS[k % DOMAINS.length]} ${PARTS[Math.floor(k / DOMAINS.length) % PARTS.length]}${k >= DOMAINS.length * PARTS.length ? ` ${k}` : ""}`;
    const engineering = role === "Engineer" || role === "Security";
    extra.push({
      ...base,
      name,
      kind: engineering ? "application" : "saas",
      description: `The ${name.toLowerCase()} of the ${role} team.`,
      production: engineering,
      classification: k % 3 === 0 ? "confidential" : "internal",
      backedUp: engineering,
      allowed: [role, "Security"],
      rules: [[role, "user", false]],
      owner: k % 4,
      since: BUILT - (k % 30),
    });
  }
  return [...CORE, ...extra];
}

/** The owner of each demo system: an active person (founders and the demo's owner stay). */
function ownerOf(spec: DemoSystem, people: DemoPerson[]): DemoPerson {
  const found =
    typeof spec.owner === "number"
      ? people[spec.owner]
      : people.find(
          (p, i) => i >= 4 && p.endDate === null && p.jobRole === spec.owner && !p.roleChange,
        );
  return (found ?? people[0]) as DemoPerson;
}

export async function seedDemoSystems(db: Kysely<Database>, demo: DemoContext) {
  const specs = demoSystems(demo.size);
  demo.progress(`systems: ${specs.length}`);
  const signedAt = addDays(demo.now, -DEMO_INVENTORY_SIGNED_DAYS_AGO);
  await withTenant(db, demo.organizationId, async (tx) => {
    const attributes = (spec: DemoSystem, owner: string) => ({
      name: spec.name,
      kind: spec.kind,
      owner_id: owner,
      production: spec.production,
      classification: spec.classification,
      customer_data: spec.customerData,
      backed_up: spec.change?.set.backedUp ?? spec.backedUp,
      scanned: spec.change?.set.scanned ?? spec.scanned,
      internet_facing: spec.internetFacing,
      allowed_roles: spec.allowed,
      admin_roles: spec.admin,
      review_period_days: null,
    });
    const rows = await tx
      .insertInto("systems")
      .values(
        specs.map((spec) => ({
          ...attributes(spec, ownerOf(spec, demo.people).id),
          organization_id: demo.organizationId,
          description: spec.description,
          created_by: demo.owner.userId,
          created_at: addDays(demo.now, -spec.since),
          updated_at: addDays(demo.now, -(spec.change?.daysAgo ?? spec.since)),
        })),
      )
      .returning(["id", "name"])
      .execute();
    const idOf = new Map(rows.map((r) => [r.name, r.id]));
    const versions = specs.flatMap((spec) => {
      const owner = ownerOf(spec, demo.people).id;
      const current = attributes(spec, owner);
      const common = {
        organization_id: demo.organizationId,
        system_id: idOf.get(spec.name) as string,
        changed_by: demo.owner.userId,
      };
      const since = addDays(demo.now, -spec.since);
      if (!spec.change) return [{ ...common, ...current, valid_from: since, valid_to: null }];
      const changed = addDays(demo.now, -spec.change.daysAgo);
      return [
        {
          ...common,
          ...current,
          backed_up: spec.backedUp,
          scanned: spec.scanned,
          valid_from: since,
          valid_to: changed,
        },
        { ...common, ...current, valid_from: changed, valid_to: null },
      ];
    });
    await tx.insertInto("system_versions").values(versions).execute();
    const signed = specs.filter((s) => s.since > DEMO_INVENTORY_SIGNED_DAYS_AGO);
    const review = await tx
      .insertInto("inventory_reviews")
      .values({
        organization_id: demo.organizationId,
        signed_at: signedAt,
        signed_by: demo.owner.userId,
        comment: "First full inventory: every system owned and classified.",
        system_count: signed.length,
        changes: JSON.stringify({ added: signed.map((s) => s.name), changed: [], archived: [] }),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const spec of specs) {
      const id = idOf.get(spec.name) as string;
      demo.event({
        at: addDays(demo.now, -spec.since),
        actor: demo.owner,
        action: "system.created",
        targetType: "system",
        targetId: id,
        after: { name: spec.name, classification: spec.classification },
      });
      if (spec.change) {
        demo.event({
          at: addDays(demo.now, -spec.change.daysAgo),
          actor: demo.owner,
          action: "system.updated",
          targetType: "system",
          targetId: id,
          after: spec.change.set,
        });
      }
    }
    demo.event({
      at: signedAt,
      actor: demo.owner,
      action: "inventory.signed_off",
      targetType: "inventory_review",
      targetId: review.id,
      after: { systems: signed.length },
    });
  });
  demo.counts.systems = specs.length;
}
