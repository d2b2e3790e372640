// My policies: the current policies that apply to me, what I still have to acknowledge and by
// when.
import { Link } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { formatDate, plural } from "../../ui/format";
import { LoadError, PageLoading } from "../../ui/Loading";
import { DueDate } from "../../ui/Offenders";
import { PageHeader } from "../../ui/PageHeader";
import { Badge } from "../../ui/StatusBadge";
import { useMyPolicies } from "./queries";
import type { MyPolicy } from "./types";

function Item({ item }: { item: MyPolicy }) {
  const pending = !item.acknowledgedAt;
  return (
    <li className="my-policy" data-policy-id={item.policyId}>
      <div className="my-policy-main">
        <Link className="my-policy-title" to={`/my/policies/${item.policyId}`}>
          {item.title}
        </Link>
        <p className="my-policy-meta">
          Version {item.version}, published {formatDate(item.publishedAt)}
        </p>
      </div>
      <div className="my-policy-state">
        {pending ? (
          <>
            <Badge tone="warning">To acknowledge</Badge>
            <DueDate dueAt={item.dueAt} />
          </>
        ) : (
          <Badge tone="success">Acknowledged {formatDate(item.acknowledgedAt)}</Badge>
        )}
      </div>
      {pending && (
        <Link className="button button-primary button-small" to={`/my/policies/${item.policyId}`}>
          Read and acknowledge<span className="visually-hidden"> {item.title}</span>
        </Link>
      )}
    </li>
  );
}

export function MyPoliciesPage() {
  const mine = useMyPolicies();
  const items = mine.data ?? [];
  const pending = items
    .filter((p) => !p.acknowledgedAt)
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const done = items.filter((p) => p.acknowledgedAt);
  return (
    <>
      <PageHeader
        title="My policies"
        description="The policies that apply to you. Read each new version and confirm that you have."
      />
      {mine.isPending && <PageLoading label="Loading your policies" />}
      {mine.isError && <LoadError error={mine.error} onRetry={() => mine.refetch()} />}
      {mine.isSuccess && items.length === 0 && (
        <EmptyState icon="policies" title="No policies apply to you yet">
          <p>When a policy that applies to you is published, it appears here.</p>
        </EmptyState>
      )}
      {pending.length > 0 && (
        <section className="section" aria-labelledby="pending-heading">
          <h2 id="pending-heading" className="section-title">
            To acknowledge ({pending.length})
          </h2>
          <ul className="my-policy-list">
            {pending.map((item) => (
              <Item key={item.policyId} item={item} />
            ))}
          </ul>
        </section>
      )}
      {mine.isSuccess && items.length > 0 && pending.length === 0 && (
        <p className="form-status">You are up to date: you have acknowledged every policy.</p>
      )}
      {done.length > 0 && (
        <section className="section" aria-labelledby="done-heading">
          <h2 id="done-heading" className="section-title">
            Acknowledged ({plural(done.length, "policy", "policies")})
          </h2>
          <ul className="my-policy-list">
            {done.map((item) => (
              <Item key={item.policyId} item={item} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
