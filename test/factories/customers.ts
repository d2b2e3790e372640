import { sql } from "kysely";
import { withTenant } from "../../src/db/tenant.ts";
import { addDays, isoDay } from "../../src/domain/dates.ts";
import { reevaluate } from "../../src/modules/monitoring/evaluation.service.ts";
import { type Org, person } from "../factories.ts";
import { formOf } from "../helpers/app.ts";
import { factoryBody as body } from "./shared.ts";
import { system } from "./systems.ts";

/**
 * Customers (issue 15) through the API: a customer with its contract, retention and data
 * stores; a disposal record; a file of evidence of it; and backdating of a customer's history
 * (its versions and disposal records), so checks can be read ?asOf= a past day.
 */

let sequence = 0;
const dayAgo = (days: number) => isoDay(addDays(new Date(), -days));

export interface CustomerOverrides {
  name?: string;
  reference?: string | null;
  /** Days ago the contract started; default 400. */
  startedDaysAgo?: number;
  /** Days ago the contract ended; null (default): still running. */
  endedDaysAgo?: number | null;
  /** Days agreed, "policy" for the default, null for none; default 30 days. */
  retention?: number | "policy" | null;
  /** Default: one new data store. */
  systemIds?: string[];
}

/** A customer; answers its view (id, name, tasks…). */
export async function customer(org: Org, overrides: CustomerOverrides = {}) {
  sequence++;
  const retention = overrides.retention === undefined ? 30 : overrides.retention;
  const systemIds = overrides.systemIds ?? [
    (await system(org, { name: `Data store ${sequence} of ${org.name}`, customerData: true })).id,
  ];
  return body(
    await org.owner.client.post("/api/v1/customers", {
      name: overrides.name ?? `Customer ${sequence}-${Math.random().toString(36).slice(2, 8)}`,
      ...(overrides.reference === undefined ? {} : { reference: overrides.reference }),
      contractStart: dayAgo(overrides.startedDaysAgo ?? 400),
      contractEnd:
        overrides.endedDaysAgo === undefined || overrides.endedDaysAgo === null
          ? null
          : dayAgo(overrides.endedDaysAgo),
      retention: typeof retention === "number" ? { days: retention } : retention,
      systemIds,
    }),
    "customer",
    201,
  );
}

/** A disposal record of one data store (default: the first) of a customer whose contract ended. */
export async function disposal(
  org: Org,
  customerId: string,
  overrides: {
    systemId?: string;
    disposedDaysAgo?: number;
    method?: string;
    personId?: string;
  } = {},
) {
  const view = body(await org.owner.client.get(`/api/v1/customers/${customerId}`), "customer", 200);
  const systemId = overrides.systemId ?? (view.dataStores[0].id as string);
  const personId = overrides.personId ?? (await person(org)).id;
  const recorded = body(
    await org.owner.client.post(`/api/v1/customers/${customerId}/disposals`, {
      systemId,
      method: overrides.method ?? "deleted",
      ...(overrides.method === "other" ? { methodOther: "Shredded the tapes" } : {}),
      disposedById: personId,
      disposedOn: dayAgo(overrides.disposedDaysAgo ?? 0),
    }),
    "disposal",
    201,
  );
  const task = recorded.tasks.find((t: { system: { id: string } }) => t.system.id === systemId);
  return { view: recorded, disposalId: task.disposal.id as string, systemId };
}

/** A file of evidence of a disposal. */
export async function disposalEvidence(
  org: Org,
  customerId: string,
  disposalId: string,
  file: { name?: string; content?: string } = {},
) {
  return body(
    await org.owner.client.postForm(
      `/api/v1/customers/${customerId}/disposals/${disposalId}/evidence`,
      formOf(
        { description: "The deletion log" },
        {
          name: file.name ?? "deletion-log.txt",
          type: "text/plain",
          content: file.content ?? `Deleted every row of ${customerId}.`,
        },
      ),
    ),
    "disposal evidence",
    201,
  );
}

/** A customer whose contract ended, with every data store's disposal recorded and evidenced. */
export async function disposedCustomer(org: Org, overrides: CustomerOverrides = {}) {
  const made = await customer(org, { endedDaysAgo: 20, ...overrides });
  const who = await person(org);
  const { disposalId, systemId } = await disposal(org, made.id, {
    disposedDaysAgo: 5,
    personId: who.id,
  });
  await disposalEvidence(org, made.id, disposalId);
  return {
    id: made.id as string,
    name: made.name as string,
    disposalId,
    systemId,
    personId: who.id,
  };
}

/**
 * Moves a customer's history `days` into the past (its versions' validity and its disposal
 * records' recording), as if it had been entered then, and re-evaluates.
 */
export async function backdateCustomer(org: Org, customerId: string, days: number) {
  const shift = sql`make_interval(days => ${days})`;
  await withTenant(org.t.deps.db, org.id, async (tx) => {
    await sql`update customer_versions set valid_from = valid_from - ${shift},
                valid_to = valid_to - ${shift} where customer_id = ${customerId}`.execute(tx);
    await sql`update customer_disposals set created_at = created_at - ${shift}
              where customer_id = ${customerId}`.execute(tx);
  });
  await reevaluate(org.t.deps.db, org.id);
}
