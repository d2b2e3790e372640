import type { ControlTest } from "../monitoring/registry.ts";
import { accessReviewsCurrent } from "./access-reviews.checks-current.ts";
import { unneededAccessRemoved } from "./access-reviews.checks-removal.ts";

/**
 * user-access-reviews' access-reviews-current (access-reviews.checks-current.ts) and
 * access-removal's unneeded-access-removed (access-reviews.checks-removal.ts), beside
 * terminated-access-removed of the access area.
 */
export const accessReviewChecks: readonly ControlTest[] = [
  {
    testKey: "access-reviews-current",
    controls: ["user-access-reviews"],
    sources: ["access_reviews", "systems", "access"],
    run: accessReviewsCurrent,
  },
  {
    testKey: "unneeded-access-removed",
    controls: ["access-removal"],
    sources: ["access_reviews", "access", "people"],
    run: unneededAccessRemoved,
  },
];
