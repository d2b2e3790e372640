/**
 * Every module's scheduled tasks, registered on import. A module that adds tasks adds its
 * `<area>.jobs.ts` here.
 */
import "../evidence/evidence.jobs.ts";
import "../notices/notices.jobs.ts";
import "../reporting/reporting.jobs.ts";
import "../trust-documents/trust-documents.jobs.ts";
