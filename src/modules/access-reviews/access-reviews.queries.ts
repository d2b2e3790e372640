import type { Tx } from "../../db/tenant.ts";

/** What other areas may read of access reviews, and how the audit log labels them. */

/** The web app's page of a campaign. */
export function accessReviewLink(id: string): string {
  return `/access/reviews/${encodeURIComponent(id)}`;
}

export const accessReviewAuditTargets = {
  access_review: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx
          .selectFrom("access_reviews")
          .select(["id", "name"])
          .where("id", "in", ids)
          .execute()
      ).map((r) => ({ id: r.id, name: r.name, path: accessReviewLink(r.id) })),
  },
};
