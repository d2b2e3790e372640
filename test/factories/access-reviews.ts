import type { Org } from "../factories.ts";
import { accessSystem } from "./access.ts";
import { apiPerson, sqlGrant } from "./access-workflow.ts";
import { factoryBody as body, ownerPersonId } from "./shared.ts";

/**
 * Factories of the access-reviews area: a campaign started through the API by the
 * organization's owner. Without systems given, it reviews a new system owned by the owner's
 * person that holds one grant of a new person (so the campaign has an item to decide).
 */

export interface AccessReviewOverrides {
  name?: string;
  systemIds?: string[];
  /** YYYY-MM-DD or an ISO timestamp. */
  dueAt?: string;
}

export async function accessReview(org: Org, overrides: AccessReviewOverrides = {}) {
  let systemIds = overrides.systemIds;
  if (!systemIds) {
    const system = await accessSystem(org, { ownerId: await ownerPersonId(org) });
    const someone = await apiPerson(org, { jobRole: "Engineer" });
    await sqlGrant(org, { personId: someone, systemId: system.id });
    systemIds = [system.id];
  }
  const created = body(
    await org.owner.client.post("/api/v1/access-reviews", {
      systemIds,
      ...(overrides.name ? { name: overrides.name } : {}),
      ...(overrides.dueAt ? { dueAt: overrides.dueAt } : {}),
    }),
    "access review",
    201,
  );
  return {
    id: created.id as string,
    name: created.name as string,
    systemIds,
  };
}

/** A campaign's items (the first page, up to 200) as the owner sees them. */
export async function accessReviewItems(org: Org, reviewId: string) {
  const page = body(
    await org.owner.client.get(`/api/v1/access-reviews/${reviewId}/items?limit=200`),
    "access review items",
    200,
  );
  return page.items as {
    id: string;
    person: { id: string } | null;
    reviewer: { id: string } | null;
  }[];
}
