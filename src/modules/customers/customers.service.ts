import type { Customer } from "../../db/tables/customers.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { isoDay } from "../../domain/dates.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { organizationSettings } from "../organizations/organizations.queries.ts";
import { systemsNow } from "../systems/systems.queries.ts";
import {
  CUSTOMERS_SOURCE,
  findCustomer,
  POLICY_DEFAULT_NAME,
  recordVersion,
} from "./customers.core.ts";
import {
  namesFor,
  presentDisposal,
  presentSummary,
  statusSql,
  tasksOf,
} from "./customers.queries.ts";
import type { CustomerPatch, CustomerView, NewCustomer } from "./customers.schema.ts";

/**
 * Customers: their terms (contract, retention requirement) and the data stores holding their
 * data. Every change writes the customers row and, in the same transaction, a new dated
 * version (customer_versions) and an audit event.
 */

type Terms = Required<Omit<NewCustomer, "retention">> & {
  retention: NewCustomer["retention"] | null;
};

/** The audited shape of a customer's terms. */
function snapshot(row: Customer) {
  return {
    name: row.name,
    reference: row.reference,
    contractStart: row.contract_start,
    contractEnd: row.contract_end,
    retentionDays: row.retention_days,
    retentionBasis: row.retention_basis,
    policyDefault: row.retention_basis === "policy" ? row.policy_default_name : null,
    systemIds: row.system_ids,
  };
}

/** Every id names a current (not archived) system of the inventory; answers them deduplicated. */
export async function checkDataStores(tx: Tx, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const found = await systemsNow(tx).where("id", "in", unique).execute();
  const live = new Set(found.filter((s) => !s.archived).map((s) => s.id));
  const missing = unique.find((id) => !live.has(id));
  if (missing) throw errors.validation("systemIds", `${missing} is not a system of the inventory`);
  return unique;
}

/** No other current customer has the name or the reference (case-insensitive): else a 409. */
export async function checkUnique(
  tx: Tx,
  terms: { name: string; reference: string | null },
  self?: string,
) {
  const clash = await tx
    .selectFrom("customers")
    .select(["id", "name", "reference"])
    .where("archived_at", "is", null)
    .where((eb) =>
      eb.or([
        eb(eb.fn("lower", ["name"]), "=", terms.name.toLowerCase()),
        ...(terms.reference
          ? [eb(eb.fn("lower", ["reference"]), "=", terms.reference.toLowerCase())]
          : []),
      ]),
    )
    .$if(self !== undefined, (q) => q.where("id", "<>", self as string))
    .executeTakeFirst();
  if (!clash) return;
  if (clash.name.toLowerCase() === terms.name.toLowerCase()) {
    throw errors.conflict(`A customer named "${clash.name}" already exists.`, "name");
  }
  throw errors.conflict(`Another customer has the reference "${terms.reference}".`, "reference");
}

type RetentionColumns = Pick<
  Customer,
  | "retention_days"
  | "retention_basis"
  | "policy_default_name"
  | "policy_applied_at"
  | "policy_applied_by"
>;

/** The retention columns for an input: an agreed period, or the default applied now by the actor. */
export async function retentionColumns(
  tx: Tx,
  ctx: Context,
  retention: Terms["retention"] | undefined,
): Promise<Partial<RetentionColumns>> {
  if (retention === undefined) return {};
  if (retention === null) {
    return {
      retention_days: null,
      retention_basis: null,
      policy_default_name: null,
      policy_applied_at: null,
      policy_applied_by: null,
    };
  }
  if (retention === "policy") {
    const settings = await organizationSettings(tx, ctx.organizationId);
    return {
      retention_days: settings.customerRetentionDefaultDays,
      retention_basis: "policy",
      policy_default_name: POLICY_DEFAULT_NAME,
      policy_applied_at: new Date(),
      policy_applied_by: actorUserId(ctx.actor),
    };
  }
  return {
    retention_days: retention.days,
    retention_basis: "agreed",
    policy_default_name: null,
    policy_applied_at: null,
    policy_applied_by: null,
  };
}

function checkContract(start: string, end: string | null) {
  if (end !== null && end < start) {
    throw errors.validation("contractEnd", "must not be before the contract start");
  }
}

/** Creates a customer inside a change (the import uses it too). */
export async function insertCustomer(tx: Tx, ctx: Context, input: NewCustomer): Promise<Customer> {
  const reference = input.reference ?? null;
  const contractEnd = input.contractEnd ?? null;
  checkContract(input.contractStart, contractEnd);
  const systemIds = await checkDataStores(tx, input.systemIds ?? []);
  await checkUnique(tx, { name: input.name, reference });
  const row = await tx
    .insertInto("customers")
    .values({
      organization_id: ctx.organizationId,
      name: input.name,
      reference,
      contract_start: input.contractStart,
      contract_end: contractEnd,
      system_ids: systemIds,
      notes: input.notes ?? "",
      created_by: actorUserId(ctx.actor),
      retention_days: null,
      retention_basis: null,
      policy_default_name: null,
      policy_applied_at: null,
      policy_applied_by: null,
      ...(await retentionColumns(tx, ctx, input.retention ?? null)),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordVersion(tx, ctx, row, row.created_at);
  return row;
}

/** Changes a customer inside a change; answers the row before and after. */
export async function changeCustomer(tx: Tx, ctx: Context, id: string, patch: CustomerPatch) {
  const before = await findCustomer(tx, id, true);
  if (before.archived_at) throw errors.invalidState("The customer is archived.");
  const next = {
    name: patch.name ?? before.name,
    reference: patch.reference === undefined ? before.reference : patch.reference,
    contract_start: patch.contractStart ?? before.contract_start,
    contract_end: patch.contractEnd === undefined ? before.contract_end : patch.contractEnd,
    system_ids:
      patch.systemIds === undefined
        ? before.system_ids
        : await checkDataStores(tx, patch.systemIds),
    notes: patch.notes ?? before.notes,
    ...(await retentionColumns(tx, ctx, patch.retention)),
  };
  checkContract(next.contract_start, next.contract_end);
  if (next.contract_end === null) {
    const recorded = await tx
      .selectFrom("customer_disposals")
      .select("id")
      .where("customer_id", "=", id)
      .executeTakeFirst();
    if (recorded) {
      throw errors.conflict(
        "Disposals are recorded: the contract's end cannot be removed.",
        "contractEnd",
      );
    }
  }
  await checkUnique(tx, { name: next.name, reference: next.reference }, id);
  const now = new Date();
  const after = await tx
    .updateTable("customers")
    .set({ ...next, updated_at: now })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordVersion(tx, ctx, after, now);
  return { before, after };
}

export async function createCustomer(ctx: Context, input: NewCustomer): Promise<CustomerView> {
  const id = await applyChange(ctx, CUSTOMERS_SOURCE, async ({ tx, audit }) => {
    const row = await insertCustomer(tx, ctx, input);
    await audit({
      action: "customer.created",
      targetType: "customer",
      targetId: row.id,
      before: null,
      after: snapshot(row),
    });
    return row.id;
  });
  return getCustomer(ctx, id);
}

export async function updateCustomer(
  ctx: Context,
  id: string,
  patch: CustomerPatch,
): Promise<CustomerView> {
  await applyChange(ctx, CUSTOMERS_SOURCE, async ({ tx, audit }) => {
    const { before, after } = await changeCustomer(tx, ctx, id, patch);
    await audit({
      action: patch.retention === "policy" ? "customer.policy_applied" : "customer.updated",
      targetType: "customer",
      targetId: id,
      before: snapshot(before),
      after: snapshot(after),
    });
  });
  return getCustomer(ctx, id);
}

/** Archives a customer: it leaves the list and the checks from now on; its history stays. */
export async function archiveCustomer(ctx: Context, id: string): Promise<void> {
  await applyChange(ctx, CUSTOMERS_SOURCE, async ({ tx, audit }) => {
    const before = await findCustomer(tx, id, true);
    if (before.archived_at) return;
    const now = new Date();
    const after = await tx
      .updateTable("customers")
      .set({ archived_at: now, updated_at: now })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordVersion(tx, ctx, after, now);
    await audit({
      action: "customer.archived",
      targetType: "customer",
      targetId: id,
      before: snapshot(before),
      after: null,
    });
  });
}

export async function getCustomer(ctx: Context, id: string): Promise<CustomerView> {
  return withTenant(ctx.db, ctx.organizationId, (tx) => loadCustomer(tx, ctx.organizationId, id));
}

/** A customer's page: terms, data stores, disposal tasks with their records, dated history. */
export async function loadCustomer(
  tx: Tx,
  organizationId: string,
  id: string,
): Promise<CustomerView> {
  const settings = await organizationSettings(tx, organizationId);
  const today = isoDay(new Date());
  const row = await tx
    .selectFrom("customers as c")
    .selectAll("c")
    .select(statusSql(today, settings.customerDisposalWarnDays).as("status"))
    .where("c.id", "=", id)
    .executeTakeFirst();
  if (!row) throw errors.notFound("The customer");
  const disposals = await tx
    .selectFrom("customer_disposals")
    .selectAll()
    .where("customer_id", "=", id)
    .execute();
  const files = await tx
    .selectFrom("customer_disposal_evidence")
    .select(["disposal_id", "evidence_id"])
    .where("disposal_id", "in", disposals.length ? disposals.map((d) => d.id) : [id])
    .orderBy("created_at")
    .execute();
  const history = await tx
    .selectFrom("customer_versions")
    .selectAll()
    .where("customer_id", "=", id)
    .orderBy("valid_from", "desc")
    .execute();
  const names = await namesFor(tx, {
    systems: [
      ...row.system_ids,
      ...disposals.map((d) => d.system_id),
      ...history.flatMap((h) => h.system_ids),
    ],
    users: [
      row.policy_applied_by,
      ...disposals.map((d) => d.recorded_by),
      ...history.map((h) => h.changed_by),
    ],
    people: disposals.map((d) => d.disposed_by),
    files: files.map((f) => f.evidence_id),
  });
  const bySystem = new Map(
    disposals.map((d) => [
      d.system_id,
      presentDisposal(
        d,
        files.filter((f) => f.disposal_id === d.id).map((f) => f.evidence_id),
        names,
      ),
    ]),
  );
  const named = (map: Map<string, string>, key: string) => ({
    id: key,
    name: map.get(key) ?? "unknown",
  });
  return {
    ...presentSummary(row, names),
    notes: row.notes,
    tasks: tasksOf(row, bySystem, names, today, settings.customerDisposalWarnDays),
    history: history.map((h) => ({
      validFrom: h.valid_from,
      validTo: h.valid_to,
      name: h.name,
      reference: h.reference,
      contractStart: h.contract_start,
      contractEnd: h.contract_end,
      retentionDays: h.retention_days,
      retentionBasis: h.retention_basis,
      dataStores: h.system_ids.map((s) => named(names.systems, s)),
      archived: h.archived,
      changedBy: h.changed_by ? named(names.users, h.changed_by) : null,
    })),
    createdAt: row.created_at,
  };
}
