// Placeholder: /trust-center/documents is being built.
import { PageHeader } from "../components/PageHeader";

export function TrustDocumentsPage() {
  return <PageHeader title="TrustDocuments" />;
}
