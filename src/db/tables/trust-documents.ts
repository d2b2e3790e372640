/** Table types of the trust-documents migration (src/db/migrations/20261125131000_trust_documents.ts). */
// biome-ignore lint/suspicious/noEmptyInterface: filled in as the area's tables are added
export interface TrustDocumentsTables {}
