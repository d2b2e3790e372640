import type { Area } from "../area.ts";
import { seedDemoTrustDocuments } from "./trust-documents.demo.ts";
import { trustDocumentsJobs } from "./trust-documents.jobs.ts";
import { trustDocumentsPublicRoutes } from "./trust-documents.public.ts";
import { trustDocumentsAuditTargets } from "./trust-documents.queries.ts";
import { trustDocumentsRoutes } from "./trust-documents.routes.ts";
import { documentsTrustSection } from "./trust-documents.trust.ts";

/** Documents on the trust center: public, or behind an access request and an NDA. */
export const trustDocumentsArea: Area = {
  name: "trust-documents",
  tables: [
    "trust_document_settings",
    "trust_documents",
    "trust_access_requests",
    "trust_access_request_documents",
    "trust_access_events",
  ],
  secrets: [
    {
      table: "trust_documents",
      columns: ["wrapped_key"],
      kind: "wrapped-key",
      blobDirectory: "trust-documents",
    },
  ],
  routes: trustDocumentsRoutes,
  publicRoutes: trustDocumentsPublicRoutes,
  jobs: trustDocumentsJobs,
  sources: ["trust-documents"],
  trustSections: [documentsTrustSection],
  demo: seedDemoTrustDocuments,
  auditTargets: trustDocumentsAuditTargets,
};

declare module "../change.ts" {
  interface DataSources {
    "trust-documents": true;
  }
}
