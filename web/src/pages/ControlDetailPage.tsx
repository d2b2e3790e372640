// One control: what it requires, its automated tests, its owner and criteria.
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { ApiError, api } from "../api";
import { ControlEditForm } from "../components/ControlEditForm";
import { EmptyState } from "../components/EmptyState";
import { Icon } from "../components/Icon";
import { LoadError, PageLoading } from "../components/Loading";
import { PageHeader } from "../components/PageHeader";
import { StatusBadge } from "../components/StatusBadge";
import { keys } from "../queries";
import { useCan } from "../session";
import type { Control } from "../types";

function BackLink() {
  return (
    <Link className="back-link" to="/controls">
      <Icon name="arrowLeft" />
      All controls
    </Link>
  );
}

function TestList({ control }: { control: Control }) {
  if (control.tests.length === 0) {
    return (
      <EmptyState icon="clock" title="No automated tests yet" headingLevel={3}>
        <p>Tests for this control arrive with control monitoring.</p>
      </EmptyState>
    );
  }
  return (
    <ul className="test-list">
      {control.tests.map((test) => (
        <li key={test.key} className="test-item">
          <div className="test-item-header">
            <h3 className="test-name">{test.name}</h3>
            <StatusBadge status={test.state} />
          </div>
          <p className="test-key mono">{test.key}</p>
          {test.message && <p className="test-message">{test.message}</p>}
        </li>
      ))}
    </ul>
  );
}

function ControlFacts({ control }: { control: Control }) {
  return (
    <dl className="facts">
      <div>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={control.status} />
        </dd>
      </div>
      <div>
        <dt>Owner</dt>
        <dd>{control.owner?.name ?? <span className="muted">No owner</span>}</dd>
      </div>
      <div>
        <dt>Category</dt>
        <dd>{control.category}</dd>
      </div>
      <div>
        <dt>Trust Services Criteria</dt>
        <dd>
          {control.criteria.length === 0 ? (
            <span className="muted">None mapped</span>
          ) : (
            <ul className="chip-list">
              {control.criteria.map((id) => (
                <li key={id} className="chip mono">
                  {id}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </div>
    </dl>
  );
}

export function ControlDetailPage() {
  const { key = "" } = useParams();
  const can = useCan();
  const control = useQuery({ queryKey: keys.control(key), queryFn: () => api.control(key) });

  if (control.isPending) return <PageLoading label="Loading control" />;
  if (control.isError) {
    const missing = control.error instanceof ApiError && control.error.status === 404;
    return (
      <>
        <BackLink />
        <PageHeader title={missing ? "Control not found" : "Control"} />
        {missing ? (
          <EmptyState icon="search" title={`There is no control with the key “${key}”`} />
        ) : (
          <LoadError error={control.error} onRetry={() => control.refetch()} />
        )}
      </>
    );
  }

  const c = control.data;
  return (
    <>
      <BackLink />
      <PageHeader
        title={c.title}
        eyebrow={
          <>
            {c.category} · <span className="mono">{c.key}</span>
          </>
        }
        actions={<StatusBadge status={c.status} />}
      />
      <div className="detail-grid">
        <div className="detail-main">
          <section className="card section" aria-labelledby="description-heading">
            <h2 id="description-heading" className="section-title">
              What this control requires
            </h2>
            <p className="prose">{c.description}</p>
          </section>
          <section className="card section" aria-labelledby="tests-heading">
            <h2 id="tests-heading" className="section-title">
              Automated tests
            </h2>
            <TestList control={c} />
          </section>
        </div>
        <aside className="detail-side" aria-label="Control details">
          <section className="card section" aria-labelledby="details-heading">
            <h2 id="details-heading" className="section-title">
              Details
            </h2>
            <ControlFacts control={c} />
          </section>
          {can("controls.update") && (
            <section className="card section" aria-labelledby="edit-heading">
              <h2 id="edit-heading" className="section-title">
                Edit control
              </h2>
              <ControlEditForm key={c.key} control={c} />
            </section>
          )}
        </aside>
      </div>
    </>
  );
}
