import { type RawBuilder, sql } from "kysely";
import type { Customer, CustomerDisposal } from "../../db/tables/customers.ts";
import type { Tx } from "../../db/tenant.ts";
import { evidenceFileNames } from "../evidence/evidence.queries.ts";
import { peopleByIds } from "../people/people.queries.ts";
import { systemNames } from "../systems/systems.queries.ts";
import { userNames } from "../users/users.queries.ts";
import { customerLink, disposalDeadline, taskState } from "./customers.core.ts";
import type {
  CustomerStatus,
  CustomerSummary,
  DisposalView,
  TaskView,
} from "./customers.schema.ts";

/**
 * Reading customers for their pages: the status each stands in today, and the names of the
 * systems, people and users they refer to (one batch per page).
 */

/**
 * A customer's status on `today` as SQL over the alias `c`: upcoming, active, then, once the
 * contract ended, disposal complete (every data store's task closed), overdue (past the
 * deadline, or no retention requirement: the deadline is unknown), due (within `warnDays`),
 * or simply ended.
 */
export function statusSql(today: string, warnDays: number): RawBuilder<CustomerStatus> {
  return sql<CustomerStatus>`case
    when c.contract_start > ${today}::date then 'upcoming'
    when c.contract_end is null or c.contract_end >= ${today}::date then 'active'
    when not exists (
      select 1 from unnest(c.system_ids) s(id)
      where not exists (
        select 1 from customer_disposals d where d.customer_id = c.id and d.system_id = s.id)
    ) then 'disposal_complete'
    when c.retention_days is null or c.contract_end + c.retention_days < ${today}::date
      then 'disposal_overdue'
    when c.contract_end + c.retention_days - ${warnDays}::int <= ${today}::date then 'disposal_due'
    else 'ended'
  end`;
}

/** The names a page of customers and their disposals refers to. */
export interface Names {
  systems: Map<string, string>;
  users: Map<string, string>;
  people: Map<string, string>;
  files: Map<string, string | null>;
}

export async function namesFor(
  tx: Tx,
  ids: { systems?: string[]; users?: (string | null)[]; people?: string[]; files?: string[] },
): Promise<Names> {
  const users = (ids.users ?? []).filter((id): id is string => id !== null);
  const people = await peopleByIds(tx, [...new Set(ids.people ?? [])]);
  return {
    systems: await systemNames(tx, ids.systems ?? []),
    users: await userNames(tx, users),
    people: new Map(people.map((p) => [p.id, p.name])),
    files: await evidenceFileNames(tx, ids.files ?? []),
  };
}

const namedIn = (map: Map<string, string>, id: string) => ({ id, name: map.get(id) ?? "unknown" });

export function presentSummary(
  row: Customer & { status: CustomerStatus },
  names: Names,
): CustomerSummary {
  const retention =
    row.retention_days === null || row.retention_basis === null
      ? null
      : {
          basis: row.retention_basis,
          days: row.retention_days,
          policyDefault:
            row.retention_basis === "policy" && row.policy_applied_at
              ? {
                  name: row.policy_default_name ?? "",
                  appliedAt: row.policy_applied_at,
                  appliedBy: row.policy_applied_by
                    ? namedIn(names.users, row.policy_applied_by)
                    : null,
                }
              : null,
        };
  return {
    id: row.id,
    name: row.name,
    reference: row.reference,
    contractStart: row.contract_start,
    contractEnd: row.contract_end,
    retention,
    dataStores: row.system_ids.map((id) => namedIn(names.systems, id)),
    status: row.status,
    disposalDeadline:
      row.contract_end !== null && row.retention_days !== null
        ? disposalDeadline(row.contract_end, row.retention_days)
        : null,
    archived: row.archived_at !== null,
  };
}

export function presentDisposal(
  row: CustomerDisposal,
  evidenceIds: string[],
  names: Names,
): DisposalView {
  return {
    id: row.id,
    system: namedIn(names.systems, row.system_id),
    method: row.method,
    methodOther: row.method_other,
    disposedBy: namedIn(names.people, row.disposed_by),
    disposedOn: row.disposed_on,
    notes: row.notes,
    recordedBy: row.recorded_by ? namedIn(names.users, row.recorded_by) : null,
    recordedAt: row.created_at,
    evidence: evidenceIds.map((id) => ({ id, fileName: names.files.get(id) ?? null })),
  };
}

/** The customer's disposal tasks on `today`: one per data store, once its contract ended. */
export function tasksOf(
  row: Customer,
  disposals: Map<string, DisposalView>,
  names: Names,
  today: string,
  warnDays: number,
): TaskView[] {
  if (row.contract_end === null || row.contract_end >= today) return [];
  const deadline =
    row.retention_days === null ? null : disposalDeadline(row.contract_end, row.retention_days);
  return row.system_ids.map((systemId) => {
    const disposal = disposals.get(systemId) ?? null;
    const { state, daysLate } = taskState(deadline, disposal?.disposedOn ?? null, today, warnDays);
    return { system: namedIn(names.systems, systemId), deadline, state, daysLate, disposal };
  });
}

/** How the audit log labels customers. */
export const customersAuditTargets = {
  customer: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx.selectFrom("customers").select(["id", "name"]).where("id", "in", ids).execute()
      ).map((r) => ({ id: r.id, name: r.name, path: customerLink(r.id) })),
  },
};
