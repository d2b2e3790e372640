// Placeholder: /trust-center is being built.
import { PageHeader } from "../components/PageHeader";

export function TrustCenterPage() {
  return <PageHeader title="TrustCenter" />;
}
