/** What other areas may read of access reviews, and how the audit log labels them. */
export const accessReviewAuditTargets = {};
