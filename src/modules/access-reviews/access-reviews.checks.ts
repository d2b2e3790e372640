import type { ControlTest } from "../monitoring/registry.ts";

/** user-access-reviews' access-reviews-current and access-removal's unneeded-access-removed. */
export const accessReviewChecks: readonly ControlTest[] = [];
