import type { ColumnType, Generated } from "kysely";

/** Table types of the trust-documents migration (src/db/migrations/20261125131000_trust_documents.ts). */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

export type TrustDocumentAccess = "public" | "gated";
export type TrustDocumentSource = "file" | "policy";
export type TrustAccessRequestStatus = "pending" | "approved" | "denied" | "revoked";
export type TrustAccessAction = "view" | "download";

export interface TrustDocumentSettingsTable {
  organization_id: string;
  nda_text: Generated<string>;
  auto_approve_domains: ColumnType<string[], string[] | undefined, string[]>;
  link_days: Generated<number>;
  updated_by: string | null;
  updated_at: UpdatedAt;
}

export interface TrustDocumentsTable {
  id: Generated<string>;
  organization_id: string;
  title: string;
  description: string | null;
  access: TrustDocumentAccess;
  shown: boolean;
  position: number;
  source: TrustDocumentSource;
  policy_id: string | null;
  storage_key: string | null;
  file_name: string | null;
  content_type: string | null;
  size_bytes: number | null;
  sha256: string | null;
  wrapped_key: string | null;
  iv: string | null;
  auth_tag: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  deleted_at: Date | null;
  deleted_by: string | null;
}

export interface TrustAccessRequestsTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  company: string;
  email: string;
  reason: string;
  status: TrustAccessRequestStatus;
  nda_text: string | null;
  nda_sha256: string | null;
  nda_accepted_at: Date | null;
  auto_approved_rule: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  token_hash: string | null;
  expires_at: Date | null;
  revoked_by: string | null;
  revoked_at: Date | null;
  /** When the deciders were reminded that the request still waits (once). */
  reminded_at: Date | null;
  created_at: CreatedAt;
}

export interface TrustAccessRequestDocumentsTable {
  organization_id: string;
  request_id: string;
  document_id: string;
}

export interface TrustAccessEventsTable {
  id: Generated<string>;
  organization_id: string;
  request_id: string;
  document_id: string | null;
  action: TrustAccessAction;
  created_at: CreatedAt;
}

export interface TrustDocumentsTables {
  trust_document_settings: TrustDocumentSettingsTable;
  trust_documents: TrustDocumentsTable;
  trust_access_requests: TrustAccessRequestsTable;
  trust_access_request_documents: TrustAccessRequestDocumentsTable;
  trust_access_events: TrustAccessEventsTable;
}
