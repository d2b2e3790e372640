import type { Org } from "../factories.ts";
import { factoryBody as body, ownerPersonId } from "./shared.ts";

/** The attributes a system may be created with (POST /api/v1/systems). */
export interface SystemOverrides {
  name?: string;
  kind?: string;
  description?: string;
  /** A person's id; absent: the organization owner's person. */
  ownerId?: string | null;
  production?: boolean;
  /** Absent: "internal"; null: unclassified. */
  classification?: "public" | "internal" | "confidential" | "restricted" | null;
  customerData?: boolean;
  backedUp?: boolean;
  scanned?: boolean;
  internetFacing?: boolean;
  allowedRoles?: string[];
  adminRoles?: string[];
  reviewPeriodDays?: number | null;
  /** Archive it once created. */
  archived?: boolean;
}

let sequence = 0;

export async function system(org: Org, overrides: SystemOverrides = {}) {
  sequence++;
  const { archived, ...fields } = overrides;
  const name = fields.name ?? `System ${sequence}-${Math.random().toString(36).slice(2, 8)}`;
  const ownerId = fields.ownerId === undefined ? await ownerPersonId(org) : fields.ownerId;
  const created = body(
    await org.owner.client.post("/api/v1/systems", {
      kind: "application",
      classification: "internal",
      ...fields,
      name,
      ownerId,
    }),
    "system",
    201,
  );
  const id = created.id as string;
  if (archived) {
    body(await org.owner.client.post(`/api/v1/systems/${id}/archive`, {}), "archive system", 200);
  }
  return { id, name };
}

/** A sign-off of the organization's inventory. Answers its id. */
export async function inventoryReview(org: Org, overrides: { comment?: string } = {}) {
  const created = body(
    await org.owner.client.post("/api/v1/inventory-reviews", {
      comment: overrides.comment ?? "Reviewed with the system owners.",
    }),
    "inventory review",
    201,
  );
  return { id: created.id as string };
}
