// Types of the trust center documents API (/api/v1/trust-documents, /api/v1/trust-access-requests).

export type DocumentAccess = "public" | "gated";

export interface TrustDocument {
  id: string;
  title: string;
  description: string | null;
  access: DocumentAccess;
  shown: boolean;
  position: number;
  source: "file" | "policy";
  policy: { id: string; title: string; publishedVersion: number | null } | null;
  fileName: string | null;
  contentType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface DocumentFields {
  title: string;
  description: string;
  access: DocumentAccess;
  shown: boolean;
  position: number;
}

export interface PolicyDocumentInput extends Omit<DocumentFields, "description"> {
  description?: string;
  policyId: string;
}

export interface DocumentChanges {
  title?: string;
  description?: string | null;
  access?: DocumentAccess;
  shown?: boolean;
  position?: number;
  policyId?: string;
}

export interface DocumentSettings {
  ndaText: string;
  ndaSha256: string | null;
  autoApproveDomains: string[];
  linkDays: number;
  updatedAt: string | null;
}

export type SettingsInput = Pick<DocumentSettings, "ndaText" | "autoApproveDomains" | "linkDays">;

export type RequestStatus = "pending" | "approved" | "denied" | "revoked";
export type LinkState = "none" | "active" | "expired" | "revoked";

export interface AccessRequest {
  id: string;
  name: string;
  company: string;
  email: string;
  reason: string;
  status: RequestStatus;
  linkState: LinkState;
  documents: { id: string; title: string; deleted: boolean }[];
  nda: { sha256: string; text: string; acceptedAt: string } | null;
  autoApprovedRule: string | null;
  decidedBy: { id: string; name: string } | null;
  decidedAt: string | null;
  decisionNote: string | null;
  expiresAt: string | null;
  revokedBy: { id: string; name: string } | null;
  revokedAt: string | null;
  createdAt: string;
}

export interface Decision {
  request: AccessRequest;
  mailSent: boolean;
  accessUrl: string | null;
}

export interface AccessEvent {
  id: string;
  action: "view" | "download";
  document: { id: string; title: string } | null;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
