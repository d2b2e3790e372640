import { type Kysely, sql } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays, isoDay } from "../../domain/dates.ts";
import type { DemoContext } from "../area.ts";
import { systemsAsOf } from "../systems/systems.queries.ts";
import { POLICY_DEFAULT_NAME } from "./customers.core.ts";

/**
 * The demo's customers: 25 signed over the year, each with its retention agreed in the
 * contract (a few given the organization's default of 90 days, applied explicitly by the
 * owner). Five contracts ended: three with every data store's disposal recorded on time, one
 * ended a week ago (nothing due yet), and one, Orbital Freight, whose support-desk tickets were
 * never disposed of: 30 days after its 30-day retention ran out, disposal-on-time fails until
 * the disposal is recorded. Written directly, dated as it happened.
 */
const NAMES = [
  "Acme Logistics",
  "Birchwood Health",
  "Cobalt Retail",
  "Delta Payroll Services",
  "Evergreen Schools",
  "Fjord Insurance",
  "Granite Legal",
  "Harbor Bank",
  "Ionic Labs",
  "Juniper Travel",
  "Kestrel Media",
  "Lumen Energy",
  "Maple Clinics",
  "Nimbus Games",
  "Orbital Freight",
  "Pioneer Foods",
  "Quartz Analytics",
  "Riverstone Housing",
  "Summit Outdoor",
  "Tidewater Ports",
  "Umbra Security",
  "Vantage Realty",
  "Willow Pharmacy",
  "Xenon Robotics",
  "Yarrow Gardens",
];

interface Ended {
  /** Days ago the contract ended. */
  endedDaysAgo: number;
  retentionDays: number;
  /** Days after the end each data store was disposed of; null: not yet. */
  disposedAfter: (number | null)[];
}

/** By index in NAMES: the contracts that ended, and what became of their data. */
const ENDED: Record<number, Ended> = {
  2: { endedDaysAgo: 250, retentionDays: 30, disposedAfter: [12, 14, 14] },
  6: { endedDaysAgo: 170, retentionDays: 60, disposedAfter: [40, 41, 45] },
  11: { endedDaysAgo: 95, retentionDays: 30, disposedAfter: [20, 21, 28] },
  14: { endedDaysAgo: 60, retentionDays: 30, disposedAfter: [18, 22, null] },
  20: { endedDaysAgo: 7, retentionDays: 90, disposedAfter: [null, null, null] },
};
const STORES = ["Customer database (PostgreSQL)", "Customer uploads (S3)", "Support desk"];
const METHODS = ["crypto_shredded", "deleted", "deleted"] as const;

export async function seedDemoCustomers(db: Kysely<Database>, demo: DemoContext): Promise<void> {
  const count = demo.size === "large" ? NAMES.length : NAMES.length;
  demo.progress(`customers: ${count}, five contracts ended`);
  await withTenant(db, demo.organizationId, async (tx) => {
    const systems = await systemsAsOf(tx, demo.now).execute();
    const stores = STORES.map((name) => systems.find((s) => s.name === name)?.id).filter(
      (id): id is string => id !== undefined,
    );
    const longest = [...demo.people].sort((a, b) => a.startDate.localeCompare(b.startDate));
    const disposer =
      longest.find((p) => p.endDate === null && /engineer/i.test(p.jobRole)) ?? longest[0];
    for (const [index, name] of NAMES.slice(0, count).entries()) {
      const ended = ENDED[index];
      const signedDaysAgo = ended ? ended.endedDaysAgo + 200 + index * 3 : 360 - index * 13;
      const signed = addDays(demo.now, -signedDaysAgo);
      const policy = index % 6 === 5;
      const retentionDays = ended?.retentionDays ?? (policy ? 90 : [30, 60, 90][index % 3]) ?? 30;
      const end = ended ? isoDay(addDays(demo.now, -ended.endedDaysAgo)) : null;
      const row = await tx
        .insertInto("customers")
        .values({
          organization_id: demo.organizationId,
          name,
          reference: `CRM-${String(1000 + index * 7)}`,
          contract_start: isoDay(signed),
          contract_end: end,
          retention_days: retentionDays,
          retention_basis: policy ? "policy" : "agreed",
          policy_default_name: policy ? POLICY_DEFAULT_NAME : null,
          policy_applied_at: policy ? signed : null,
          policy_applied_by: policy ? demo.owner.userId : null,
          system_ids: stores,
          created_by: demo.owner.userId,
          created_at: signed,
          updated_at: signed,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const version = {
        organization_id: demo.organizationId,
        customer_id: row.id,
        name,
        reference: row.reference,
        contract_start: row.contract_start,
        retention_days: retentionDays,
        retention_basis: row.retention_basis,
        system_ids: stores,
        changed_by: demo.owner.userId,
      };
      const endRecorded = ended ? addDays(demo.now, -ended.endedDaysAgo) : null;
      await tx
        .insertInto("customer_versions")
        .values([
          { ...version, valid_from: signed, valid_to: endRecorded, contract_end: null },
          ...(endRecorded
            ? [{ ...version, valid_from: endRecorded, valid_to: null, contract_end: end }]
            : []),
        ])
        .execute();
      demo.event({
        at: signed,
        actor: demo.owner,
        action: "customer.created",
        targetType: "customer",
        targetId: row.id,
        after: { name, retentionDays, retentionBasis: row.retention_basis },
      });
      if (!ended || !end || !disposer) continue;
      for (const [i, after] of ended.disposedAfter.entries()) {
        const systemId = stores[i];
        if (after === null || !systemId) continue;
        const on = addDays(demo.now, -ended.endedDaysAgo + after);
        await tx
          .insertInto("customer_disposals")
          .values({
            organization_id: demo.organizationId,
            customer_id: row.id,
            system_id: systemId,
            method: METHODS[i] ?? "deleted",
            method_other: null,
            disposed_by: disposer.id,
            disposed_on: isoDay(on),
            notes: "Per the offboarding runbook.",
            recorded_by: demo.owner.userId,
            created_at: on,
          })
          .execute();
        demo.event({
          at: on,
          actor: demo.owner,
          action: "customer.disposal_recorded",
          targetType: "customer",
          targetId: row.id,
          after: { systemId, disposedOn: isoDay(on) },
        });
      }
    }
  });
  demo.counts.customers = count;
  await sql`analyze customers, customer_versions, customer_disposals`.execute(db);
}
