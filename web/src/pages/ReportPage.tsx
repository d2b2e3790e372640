// Placeholder: /reports/:id is being built.
import { PageHeader } from "../components/PageHeader";

export function ReportPage() {
  return <PageHeader title="Report" />;
}
