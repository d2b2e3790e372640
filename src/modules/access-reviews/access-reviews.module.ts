import type { Area } from "../area.ts";
import { accessReviewChecks } from "./access-reviews.checks.ts";
import { seedDemoAccessReviews } from "./access-reviews.demo.ts";
import { accessReviewJobs } from "./access-reviews.jobs.ts";
import { accessReviewAuditTargets } from "./access-reviews.queries.ts";
import { accessReviewRoutes } from "./access-reviews.routes.ts";

/**
 * User access reviews: campaigns over a set of systems that freeze the grants and accounts
 * standing when they start, a reviewer's keep or revoke for each (revocations become access
 * tasks), and the signed-off record filed as evidence.
 */
export const accessReviewsArea: Area = {
  name: "access-reviews",
  tables: ["access_reviews", "access_review_systems", "access_review_items"],
  routes: accessReviewRoutes,
  checks: accessReviewChecks,
  jobs: accessReviewJobs,
  sources: ["access_reviews"],
  demo: seedDemoAccessReviews,
  auditTargets: accessReviewAuditTargets,
};

declare module "../change.ts" {
  interface DataSources {
    access_reviews: true;
  }
}
