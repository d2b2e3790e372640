// Placeholder: /notices/:id is being built.
import { PageHeader } from "../components/PageHeader";

export function NoticePage() {
  return <PageHeader title="Notice" />;
}
