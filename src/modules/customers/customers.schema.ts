import { z } from "zod";
import { DISPOSAL_METHODS, RETENTION_BASES } from "../../db/tables/customers.ts";
import {
  daySchema,
  idSchema,
  limitSchema,
  nullableTimestamp,
  timestamp,
} from "../../platform/http/schemas.ts";

/** Requests and answers of the customers routes: customers, their disposals, the certificate. */

const text = (max: number) => z.string().trim().max(max);
const named = z.object({ id: idSchema, name: z.string() });

/** A retention period agreed with the customer, or "policy": the organization's default, applied now. */
export const retentionInput = z.union([
  z.object({ days: z.number().int().min(0).max(36500) }).strict(),
  z.literal("policy"),
]);

const termsFields = {
  name: text(200).min(1),
  /** The customer's reference in another system (a CRM id, a contract number). */
  reference: text(200).min(1).nullable(),
  contractStart: daySchema,
  /** Empty while the contract runs. */
  contractEnd: daySchema.nullable(),
  retention: retentionInput.nullable(),
  /** The data stores holding the customer's data: systems of the inventory. */
  systemIds: z.array(idSchema).max(200),
  notes: text(4000),
};

export const newCustomer = z
  .object({
    ...termsFields,
    reference: termsFields.reference.optional(),
    contractEnd: termsFields.contractEnd.optional(),
    retention: termsFields.retention.optional(),
    systemIds: termsFields.systemIds.optional(),
    notes: termsFields.notes.optional(),
  })
  .strict();

export const customerPatch = z.object(termsFields).partial().strict();

export const CUSTOMER_STATUSES = [
  "upcoming",
  "active",
  "ended",
  "disposal_due",
  "disposal_overdue",
  "disposal_complete",
] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

export const customerListQuery = z.object({
  status: z.enum(CUSTOMER_STATUSES).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

const retentionView = z.object({
  basis: z.enum(RETENTION_BASES),
  days: z.number().int(),
  /** For the policy default: which default, when and by whom it was applied. */
  policyDefault: z
    .object({ name: z.string(), appliedAt: timestamp, appliedBy: named.nullable() })
    .nullable(),
});

export const customerSummary = z
  .object({
    id: idSchema,
    name: z.string(),
    reference: z.string().nullable(),
    contractStart: z.string(),
    contractEnd: z.string().nullable(),
    retention: retentionView.nullable(),
    dataStores: z.array(named),
    status: z.enum(CUSTOMER_STATUSES),
    /** The disposal deadline once the contract ended and a retention period is set. */
    disposalDeadline: z.string().nullable(),
    archived: z.boolean(),
  })
  .meta({ id: "CustomerSummary" });

const disposalView = z.object({
  id: idSchema,
  system: named,
  method: z.enum(DISPOSAL_METHODS),
  methodOther: z.string().nullable(),
  disposedBy: named,
  disposedOn: z.string(),
  notes: z.string(),
  recordedBy: named.nullable(),
  recordedAt: timestamp,
  evidence: z.array(z.object({ id: idSchema, fileName: z.string().nullable() })),
});

export const taskView = z.object({
  system: named,
  deadline: z.string().nullable(),
  state: z.enum(["open", "due_soon", "overdue", "done", "done_late", "unknown"]),
  /** Days past the deadline: of an open task today, of a closed one when it was done. */
  daysLate: z.number().int(),
  disposal: disposalView.nullable(),
});

export const customerView = customerSummary
  .extend({
    notes: z.string(),
    tasks: z.array(taskView),
    history: z.array(
      z.object({
        validFrom: timestamp,
        validTo: nullableTimestamp,
        name: z.string(),
        reference: z.string().nullable(),
        contractStart: z.string(),
        contractEnd: z.string().nullable(),
        retentionDays: z.number().int().nullable(),
        retentionBasis: z.enum(RETENTION_BASES).nullable(),
        dataStores: z.array(named),
        archived: z.boolean(),
        changedBy: named.nullable(),
      }),
    ),
    createdAt: timestamp,
  })
  .meta({ id: "CustomerView" });

export const newDisposal = z
  .object({
    systemId: idSchema,
    method: z.enum(DISPOSAL_METHODS),
    /** What was done, when the method is "other". */
    methodOther: text(500).min(1).optional(),
    /** The person who disposed of the data. */
    disposedById: idSchema,
    disposedOn: daySchema,
    notes: text(4000).optional(),
  })
  .strict();

export const disposalParams = z.object({ id: idSchema, disposalId: idSchema });

export type CustomerListQuery = z.infer<typeof customerListQuery>;
export type CustomerSummary = z.infer<typeof customerSummary>;
export type CustomerView = z.infer<typeof customerView>;
export type NewCustomer = z.infer<typeof newCustomer>;
export type CustomerPatch = z.infer<typeof customerPatch>;
export type NewDisposal = z.infer<typeof newDisposal>;
export type DisposalView = z.infer<typeof disposalView>;
export type TaskView = z.infer<typeof taskView>;
