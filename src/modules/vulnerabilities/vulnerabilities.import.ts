/** Importing a scanner file (helper 2; stub). */
export const scanImportAuditTargets = {};
