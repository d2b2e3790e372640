/** The audit log's labels of incidents. */
export const incidentAuditTargets = {};
