// Placeholder: /notices is being built.
import { PageHeader } from "../components/PageHeader";

export function NoticesPage() {
  return <PageHeader title="Notices" />;
}
