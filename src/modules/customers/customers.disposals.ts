import { withTenant } from "../../db/tenant.ts";
import { isoDay } from "../../domain/dates.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { evidenceFile } from "../../platform/file-types.ts";
import { type FormPart, readCaptionedFile } from "../../platform/upload-form.ts";
import { applyChange } from "../change.ts";
import { type EvidenceEnv, fileGeneratedEvidence } from "../evidence/evidence.service.ts";
import { peopleByIds } from "../people/people.queries.ts";
import { CUSTOMERS_SOURCE, findCustomer, RETENTION_CONTROL } from "./customers.core.ts";
import type { CustomerView, NewDisposal } from "./customers.schema.ts";
import { loadCustomer } from "./customers.service.ts";

/**
 * Disposal records: each closes the disposal task of one data store of a customer whose
 * contract ended, saying how, by whom and on which day the data was disposed of; files of
 * evidence (a deletion log, a provider's confirmation) go to the evidence library, encrypted.
 */

export async function recordDisposal(
  ctx: Context,
  customerId: string,
  input: NewDisposal,
): Promise<CustomerView> {
  const today = isoDay(new Date());
  if (input.disposedOn > today) throw errors.validation("disposedOn", "must not be in the future");
  if ((input.method === "other") !== (input.methodOther !== undefined)) {
    throw errors.validation(
      "methodOther",
      input.method === "other"
        ? "is required when the method is other"
        : "only goes with the method other",
    );
  }
  await applyChange(ctx, CUSTOMERS_SOURCE, async ({ tx, audit }) => {
    const customer = await findCustomer(tx, customerId, true);
    if (customer.archived_at) throw errors.invalidState("The customer is archived.");
    if (customer.contract_end === null || customer.contract_end >= today) {
      throw errors.conflict(
        "The customer's contract has not ended: nothing is due for disposal yet.",
      );
    }
    if (!customer.system_ids.includes(input.systemId)) {
      throw errors.validation("systemId", "is not a data store holding this customer's data");
    }
    if (input.disposedOn < customer.contract_end) {
      throw errors.validation(
        "disposedOn",
        `must not be before the contract's end (${customer.contract_end})`,
      );
    }
    const [person] = await peopleByIds(tx, [input.disposedById]);
    if (!person) throw errors.validation("disposedById", "is not a person of the organization");
    const existing = await tx
      .selectFrom("customer_disposals")
      .select("id")
      .where("customer_id", "=", customerId)
      .where("system_id", "=", input.systemId)
      .executeTakeFirst();
    if (existing)
      throw errors.conflict("This data store's disposal is already recorded.", "systemId");
    const row = await tx
      .insertInto("customer_disposals")
      .values({
        organization_id: ctx.organizationId,
        customer_id: customerId,
        system_id: input.systemId,
        method: input.method,
        method_other: input.methodOther ?? null,
        disposed_by: input.disposedById,
        disposed_on: input.disposedOn,
        notes: input.notes ?? "",
        recorded_by: actorUserId(ctx.actor),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "customer.disposal_recorded",
      targetType: "customer",
      targetId: customerId,
      before: null,
      after: {
        disposalId: row.id,
        systemId: row.system_id,
        method: row.method,
        methodOther: row.method_other,
        disposedBy: row.disposed_by,
        disposedOn: row.disposed_on,
      },
    });
  });
  return withTenant(ctx.db, ctx.organizationId, (tx) =>
    loadCustomer(tx, ctx.organizationId, customerId),
  );
}

async function findDisposal(ctx: Context, customerId: string, disposalId: string) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const row = await tx
      .selectFrom("customer_disposals")
      .selectAll()
      .where("id", "=", disposalId)
      .where("customer_id", "=", customerId)
      .executeTakeFirst();
    if (!row) throw errors.notFound("The disposal record");
    return { row, customer: await findCustomer(tx, customerId) };
  });
}

/**
 * Files one evidence file of a disposal (the form: an optional `description`, then one `file`
 * part), encrypted in the evidence library under customer-data-retention.
 */
export async function attachDisposalEvidence(
  ctx: Context,
  env: EvidenceEnv,
  customerId: string,
  disposalId: string,
  parts: () => AsyncIterable<FormPart>,
): Promise<CustomerView> {
  const { row, customer } = await findDisposal(ctx, customerId, disposalId);
  const file = await readCaptionedFile(parts(), {
    captionField: "description",
    maxBytes: env.maxBytes,
    accept: evidenceFile,
  });
  const { fileName, data, caption } = file;
  await fileGeneratedEvidence(
    ctx,
    env,
    {
      controlKey: RETENTION_CONTROL,
      testKey: "disposal-on-time",
      title: `Disposal of ${customer.name}'s data: ${fileName}`,
      description: caption || `Evidence of the disposal of ${customer.name}'s data.`,
      evidenceDate: row.disposed_on,
      fileName,
      contentType: file.contentType,
      data,
    },
    async ({ tx, audit }, evidence) => {
      await tx
        .insertInto("customer_disposal_evidence")
        .values({
          organization_id: ctx.organizationId,
          disposal_id: disposalId,
          evidence_id: evidence.id,
        })
        .execute();
      await audit({
        action: "customer.disposal_evidence_added",
        targetType: "customer",
        targetId: customerId,
        before: null,
        after: { disposalId, evidenceId: evidence.id, fileName, sizeBytes: data.length },
      });
    },
    [CUSTOMERS_SOURCE],
  );
  return withTenant(ctx.db, ctx.organizationId, (tx) =>
    loadCustomer(tx, ctx.organizationId, customerId),
  );
}
