/** The sections other modules add to the trust center page, registered on import. */
import "../notices/notices.trust.ts";
import "../reporting/reporting.trust.ts";
import "../trust-documents/trust-documents.trust.ts";
