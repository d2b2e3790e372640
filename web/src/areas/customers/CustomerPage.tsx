// One customer: its terms (contract, retention requirement and how it was set), the data
// stores holding its data, the disposal tasks once the contract ended with their records and
// evidence, the certificate of disposal, and the dated history of its terms.
import "../incidents/incidents.css";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime, formatDay, plural } from "../../ui/format";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { useCan } from "../../ui/session";
import { customersApi, useCustomer, useCustomerMutation } from "./customers.api";
import { CustomerStatusBadge, METHODS, TaskBadge } from "./customers.components";
import type { Customer } from "./customers.types";
import { DisposalForm } from "./DisposalForm";
import { EditTermsDialog } from "./EditTermsDialog";

function retentionText(c: Customer): string {
  const r = c.retention;
  if (!r) return "None recorded";
  if (r.basis === "agreed")
    return `${plural(r.days, "day")} after the contract ends, agreed with the customer`;
  const d = r.policyDefault;
  return `${plural(r.days, "day")} after the contract ends: the ${d?.name ?? "default"}, applied ${d ? formatDateTime(d.appliedAt) : ""} by ${d?.appliedBy?.name ?? "unknown"}`;
}

function Terms({ customer: c }: { customer: Customer }) {
  const can = useCan();
  const apply = useCustomerMutation(() => customersApi.update(c.id, { retention: "policy" }));
  return (
    <section className="card section" aria-labelledby="terms-heading">
      <h2 className="section-title" id="terms-heading">
        Terms
      </h2>
      <dl className="incident-facts">
        <dt>Status</dt>
        <dd>
          <CustomerStatusBadge status={c.status} />
        </dd>
        <dt>Reference</dt>
        <dd>{c.reference ?? "—"}</dd>
        <dt>Contract</dt>
        <dd>
          {formatDay(c.contractStart)} – {c.contractEnd ? formatDay(c.contractEnd) : "running"}
        </dd>
        <dt>Retention</dt>
        <dd>{retentionText(c)}</dd>
        <dt>Disposal deadline</dt>
        <dd>{c.disposalDeadline ? formatDay(c.disposalDeadline) : "—"}</dd>
        <dt>Data stores</dt>
        <dd>
          {c.dataStores.length === 0
            ? "None"
            : c.dataStores.map((s, i) => (
                <span key={s.id}>
                  {i > 0 && ", "}
                  <Link to={`/systems/${s.id}`}>{s.name}</Link>
                </span>
              ))}
        </dd>
      </dl>
      {!c.retention && can("customers.manage") && (
        <>
          <button
            type="button"
            className="button button-secondary"
            disabled={apply.isPending}
            onClick={() => apply.mutate(undefined)}
          >
            Apply the default retention period
          </button>
          <FormAlert error={apply.error} />
        </>
      )}
    </section>
  );
}

function Tasks({ customer: c }: { customer: Customer }) {
  const can = useCan();
  const [recording, setRecording] = useState<string | null>(null);
  if (c.tasks.length === 0) return null;
  const task = c.tasks.find((t) => t.system.id === recording);
  return (
    <section className="card section" aria-labelledby="tasks-heading">
      <h2 className="section-title" id="tasks-heading">
        Disposal
      </h2>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard */}
      <section className="table-wrap" aria-label="Disposal tasks" tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Data store</th>
              <th scope="col">Deadline</th>
              <th scope="col">State</th>
              <th scope="col">Disposal</th>
            </tr>
          </thead>
          <tbody>
            {c.tasks.map((t) => (
              <tr key={t.system.id}>
                <td>{t.system.name}</td>
                <td>{t.deadline ? formatDay(t.deadline) : "Unknown"}</td>
                <td>
                  <TaskBadge task={t} />
                </td>
                <td>
                  {t.disposal ? (
                    <>
                      {METHODS.find((m) => m.value === t.disposal?.method)?.label}
                      {t.disposal.methodOther ? `: ${t.disposal.methodOther}` : ""} on{" "}
                      {formatDay(t.disposal.disposedOn)} by {t.disposal.disposedBy.name}
                      {t.disposal.evidence.length > 0 && (
                        <div className="cell-secondary">
                          Evidence:{" "}
                          {t.disposal.evidence.map((e) => e.fileName ?? "a link").join(", ")}
                        </div>
                      )}
                    </>
                  ) : (
                    can("customers.manage") && (
                      <button
                        type="button"
                        className="button button-secondary"
                        onClick={() => setRecording(t.system.id)}
                      >
                        Record disposal
                      </button>
                    )
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {task && !task.disposal && (
        <DisposalForm customerId={c.id} task={task} onDone={() => setRecording(null)} />
      )}
    </section>
  );
}

function History({ customer: c }: { customer: Customer }) {
  return (
    <section className="card section" aria-labelledby="history-heading">
      <h2 className="section-title" id="history-heading">
        History of the terms
      </h2>
      <ul>
        {c.history.map((h) => (
          <li key={h.validFrom}>
            From {formatDateTime(h.validFrom)}
            {h.changedBy ? ` (by ${h.changedBy.name})` : ""}: contract {formatDay(h.contractStart)}{" "}
            – {h.contractEnd ? formatDay(h.contractEnd) : "running"}; retention{" "}
            {h.retentionDays === null
              ? "none"
              : `${plural(h.retentionDays, "day")} (${h.retentionBasis})`}
            ; data stores {h.dataStores.map((s) => s.name).join(", ") || "none"}
            {h.archived ? "; archived" : ""}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function CustomerPage() {
  const { id = "" } = useParams();
  const can = useCan();
  const [editing, setEditing] = useState(false);
  const customer = useCustomer(id);
  if (customer.isPending) return <PageLoading label="Loading the customer" />;
  if (customer.isError)
    return <LoadError error={customer.error} onRetry={() => customer.refetch()} />;
  const c = customer.data;
  return (
    <>
      <PageHeader
        title={c.name}
        eyebrow={<Link to="/customers">Customers</Link>}
        actions={
          (c.status === "disposal_complete" || can("customers.manage")) && (
            <>
              {c.status === "disposal_complete" && (
                <a
                  className="button button-secondary"
                  href={customersApi.certificateUrl(c.id)}
                  download
                >
                  Download the certificate of disposal
                </a>
              )}
              {can("customers.manage") && (
                <button
                  type="button"
                  className="button button-primary"
                  onClick={() => setEditing(true)}
                >
                  Edit terms
                </button>
              )}
            </>
          )
        }
      />
      {editing && <EditTermsDialog customer={c} onClose={() => setEditing(false)} />}
      <Terms customer={c} />
      <Tasks customer={c} />
      <History customer={c} />
    </>
  );
}
