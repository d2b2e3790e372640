/** The audit log's labels of exercises of the plan and their outcomes. */
export const exerciseAuditTargets = {};
