import type { Customer } from "../../db/tables/customers.ts";
import type { Tx } from "../../db/tenant.ts";
import { addDays, daysBetween, isoDay, startOfDay } from "../../domain/dates.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";

/**
 * What every part of the customers area shares: its data source, links, finding a customer,
 * the one writer of a customer's dated history, and the disposal deadline its terms set.
 */

/** The data source the customers area announces. */
export const CUSTOMERS_SOURCE = "customers" as const;
/** The control both checks serve, and the evidence files of disposals are filed under. */
export const RETENTION_CONTROL = "customer-data-retention";
/** What applying the organization's default retention period records as "which default". */
export const POLICY_DEFAULT_NAME = "Organization default retention period";

export function customerLink(id: string): string {
  return `/customers/${encodeURIComponent(id)}`;
}

/** The customer (visible to the transaction's organization), or a 404; `lock` takes it FOR UPDATE. */
export async function findCustomer(tx: Tx, id: string, lock = false): Promise<Customer> {
  let query = tx.selectFrom("customers").selectAll().where("id", "=", id);
  if (lock) query = query.forUpdate();
  const customer = await query.executeTakeFirst();
  if (!customer) throw errors.notFound("The customer");
  return customer;
}

/** Closes the customer's open version and opens its new state at `at`: every write calls this. */
export async function recordVersion(tx: Tx, ctx: Context, row: Customer, at: Date) {
  await tx
    .updateTable("customer_versions")
    .set({ valid_to: at })
    .where("customer_id", "=", row.id)
    .where("valid_to", "is", null)
    .execute();
  await tx
    .insertInto("customer_versions")
    .values({
      organization_id: ctx.organizationId,
      customer_id: row.id,
      valid_from: at,
      name: row.name,
      reference: row.reference,
      contract_start: row.contract_start,
      contract_end: row.contract_end,
      retention_days: row.retention_days,
      retention_basis: row.retention_basis,
      system_ids: row.system_ids,
      archived: row.archived_at !== null,
      changed_by: actorUserId(ctx.actor),
    })
    .execute();
}

/** The day the data of a customer whose contract ended must be disposed of by (inclusive). */
export function disposalDeadline(contractEnd: string, retentionDays: number): string {
  return isoDay(addDays(startOfDay(contractEnd), retentionDays));
}

export type TaskState = "open" | "due_soon" | "overdue" | "done" | "done_late" | "unknown";

/**
 * One disposal task as it stands on `today`: open, due soon (within `warnDays` of its
 * deadline), overdue, done (on time or late), or unknown (no retention requirement: no deadline).
 */
export function taskState(
  deadline: string | null,
  disposedOn: string | null,
  today: string,
  warnDays: number,
): { state: TaskState; daysLate: number } {
  if (deadline === null) return { state: disposedOn ? "done" : "unknown", daysLate: 0 };
  if (disposedOn) {
    const late = daysBetween(deadline, disposedOn);
    return late > 0 ? { state: "done_late", daysLate: late } : { state: "done", daysLate: 0 };
  }
  const left = daysBetween(today, deadline);
  if (left < 0) return { state: "overdue", daysLate: -left };
  return { state: left <= warnDays ? "due_soon" : "open", daysLate: 0 };
}

/** "1 customer", "3 customers". */
export function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
