import type { Org } from "../factories.ts";
import type { Client, Reply } from "../helpers/app.ts";

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

function body(reply: Reply, what: string, ...statuses: number[]) {
  if (!statuses.includes(reply.status)) {
    throw new Error(`factory ${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
  }
  return reply.body;
}

const ownerPeople = new WeakMap<Org, string>();

/** The person of the organization's owner (every user is linked to a person). */
export async function ownerPersonId(org: Org): Promise<string> {
  const known = ownerPeople.get(org);
  if (known) return known;
  const found = await personOfUser(org.owner.client, org.owner.id);
  ownerPeople.set(org, found);
  return found;
}

async function personOfUser(client: Client, userId: string): Promise<string> {
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const page = body(await client.get(`/api/v1/people?limit=200${query}`), "people", 200);
    const found = page.items.find((p: { userId: string | null }) => p.userId === userId);
    if (found) return found.id as string;
    cursor = page.nextCursor;
  } while (cursor);
  throw new Error(`factory system: user ${userId} has no person`);
}

/**
 * A system of the inventory, created by the owner: by default an application owned by the
 * organization owner's person and classified internal. Answers its id and name.
 */
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
