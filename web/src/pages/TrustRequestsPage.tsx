// Placeholder: /trust-center/requests is being built.
import { PageHeader } from "../components/PageHeader";

export function TrustRequestsPage() {
  return <PageHeader title="TrustRequests" />;
}
