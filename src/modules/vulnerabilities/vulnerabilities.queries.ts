/** The vulnerabilities area's reads other areas use, and how the audit log labels its records (helper 4). */
export const findingAuditTargets = {};
