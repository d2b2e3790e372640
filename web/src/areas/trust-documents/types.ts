// The trust center documents API's data (/api/v1/trust-documents, /api/v1/trust-access-requests),
// named from the generated schema.
import type { Answer, ItemOf, RequestBody } from "../../ui/schema";

export type TrustDocument = ItemOf<"/api/v1/trust-documents">;
export type DocumentAccess = TrustDocument["access"];
export type PolicyDocumentInput = RequestBody<"/api/v1/trust-documents", "post">;
export type DocumentChanges = RequestBody<"/api/v1/trust-documents/{id}", "patch">;
export type DocumentSettings = Answer<"/api/v1/trust-documents/settings">;
export type SettingsInput = RequestBody<"/api/v1/trust-documents/settings", "put">;
export type AccessRequest = ItemOf<"/api/v1/trust-access-requests">;
export type RequestStatus = AccessRequest["status"];
export type LinkState = AccessRequest["linkState"];
export type Decision = Answer<"/api/v1/trust-access-requests/{id}/approve", "post">;
export type AccessEvent = ItemOf<"/api/v1/trust-access-requests/{id}/events">;

/** The fields of a document's form. */
export interface DocumentFields {
  title: string;
  description: string;
  access: DocumentAccess;
  shown: boolean;
  position: number;
}
