import { sql } from "kysely";
import { expect } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import type { Org } from "../../factories.ts";

/**
 * Moves a system's whole history `days` into the past (its creation, every version), as if it
 * had been listed then, and re-evaluates like the scheduled job would.
 */
export async function backdateSystem(org: Org, systemId: string, days: number) {
  const shift = sql`make_interval(days => ${days})`;
  await withTenant(org.t.deps.db, org.id, async (tx) => {
    await sql`update systems set created_at = created_at - ${shift},
                updated_at = updated_at - ${shift}, archived_at = archived_at - ${shift}
              where id = ${systemId}`.execute(tx);
    await sql`update system_versions set valid_from = valid_from - ${shift},
                valid_to = valid_to - ${shift}
              where system_id = ${systemId}`.execute(tx);
  });
  await reevaluate(org.t.deps.db, org.id);
}

/** Moves every sign-off of the inventory `days` into the past, and re-evaluates. */
export async function backdateSignOffs(org: Org, days: number) {
  await withTenant(org.t.deps.db, org.id, (tx) =>
    sql`update inventory_reviews set signed_at = signed_at - make_interval(days => ${days})`.execute(
      tx,
    ),
  );
  await reevaluate(org.t.deps.db, org.id);
}

export interface TestResult {
  state: string;
  message: string;
  offenders: {
    kind: string;
    id: string;
    label: string;
    link: string;
    action: string;
    state?: string;
    dueAt?: string;
  }[];
  offenderCount?: number;
}

/** A control's tests by key, as the API answers them now or as of a day. */
export async function controlTests(org: Org, controlKey: string, asOf?: string) {
  const reply = await org.owner.client.get(
    `/api/v1/controls/${controlKey}${asOf ? `?asOf=${asOf}` : ""}`,
  );
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return Object.fromEntries(
    reply.body.tests.map((test: { key: string }) => [test.key, test]),
  ) as Record<string, TestResult>;
}

export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}
