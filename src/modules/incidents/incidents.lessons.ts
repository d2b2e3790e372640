/** The audit log's labels of lessons learned and action items. */
export const lessonsAuditTargets = {};
