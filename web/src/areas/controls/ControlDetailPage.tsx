// One control: what it requires, its automated tests and the records behind them, its daily
// history, its evidence, its owner and criteria; optionally as it stood on a past day.
import { useQuery } from "@tanstack/react-query";
import { Link, useParams, useSearchParams } from "react-router";
import { Callout } from "../../ui/Callout";
import { EmptyState } from "../../ui/EmptyState";
import { formatDateTime, formatDay } from "../../ui/format";
import { ApiError } from "../../ui/http";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { keys } from "../../ui/queries";
import { StatusBadge } from "../../ui/StatusBadge";
import type { Control } from "../../ui/schema";
import { useCan } from "../../ui/session";
import { EvidenceSection } from "../evidence/EvidenceSection";
import { AsOfPicker } from "./AsOfPicker";
import { controlsApi } from "./api";
import { ControlEditForm } from "./ControlEditForm";
import { ControlHistory } from "./ControlHistory";
import { TestResults } from "./TestResults";

function BackLink() {
  return (
    <Link className="back-link" to="/controls">
      <Icon name="arrowLeft" />
      All controls
    </Link>
  );
}

function ControlFacts({ control, asOf }: { control: Control; asOf: string }) {
  return (
    <dl className="facts">
      <div>
        <dt>{asOf ? `Status as of ${formatDay(asOf)}` : "Status"}</dt>
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
      {!asOf && (
        <div>
          <dt>Last evaluated</dt>
          <dd>{control.evaluatedAt ? formatDateTime(control.evaluatedAt) : "Not yet"}</dd>
        </div>
      )}
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
  const [params, setParams] = useSearchParams();
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(params.get("asOf") ?? "")
    ? (params.get("asOf") ?? "")
    : "";
  const control = useQuery({
    queryKey: asOf ? keys.controlAsOf(key, asOf) : keys.control(key),
    queryFn: () => controlsApi.control(key, asOf || undefined),
  });

  function setAsOf(day: string) {
    const next = new URLSearchParams(params);
    if (day) next.set("asOf", day);
    else next.delete("asOf");
    setParams(next);
  }

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
      {asOf && (
        <Callout tone="info" title={`Viewing as of ${formatDay(asOf)}`} role="status">
          <p>
            Status, tests and offenders are shown as they stood at the end of that day (UTC),
            evaluated from the stored data.
          </p>
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => setAsOf("")}
          >
            Back to today
          </button>
        </Callout>
      )}
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
            <TestResults control={c} />
          </section>
          <section className="card section" aria-labelledby="history-heading">
            <div className="section-header">
              <h2 id="history-heading" className="section-title">
                Last 90 days
              </h2>
              <p className="section-description">
                The control's status in each day's snapshot. Days without a snapshot are left blank.
              </p>
            </div>
            <ControlHistory controlKey={c.key} />
          </section>
          {can("evidence.read") && <EvidenceSection control={c} />}
        </div>
        <aside className="detail-side" aria-label="Control details">
          <section className="card section" aria-labelledby="details-heading">
            <h2 id="details-heading" className="section-title">
              Details
            </h2>
            <ControlFacts control={c} asOf={asOf} />
          </section>
          <section className="card section" aria-labelledby="asof-heading">
            <h2 id="asof-heading" className="section-title">
              Point in time
            </h2>
            <AsOfPicker key={asOf} asOf={asOf} onChange={setAsOf} />
          </section>
          {can("controls.update") && (
            <section className="card section" aria-labelledby="edit-heading">
              <h2 id="edit-heading" className="section-title">
                Edit control
              </h2>
              {asOf ? (
                <p className="muted">Go back to today to change the owner or criteria.</p>
              ) : (
                <ControlEditForm key={c.key} control={c} />
              )}
            </section>
          )}
        </aside>
      </div>
    </>
  );
}
