import { Link } from "react-router";
import { EmptyState } from "./EmptyState";
import { PageHeader } from "./PageHeader";

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState
        icon="search"
        title="There is nothing at this address"
        actions={
          <Link className="button button-primary" to="/">
            Go to the dashboard
          </Link>
        }
      >
        <p>The link may be old, or the page may have moved.</p>
      </EmptyState>
    </>
  );
}
