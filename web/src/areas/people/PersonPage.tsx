// One person: reference, job role, manager, type, dates and whether they are active; edited
// and offboarded with people.manage.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { formatDay } from "../../ui/format";
import { ApiError } from "../../ui/http";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { keys } from "../../ui/queries";
import { useCan } from "../../ui/session";
import { PersonAccessSection } from "../access/PersonAccessSection";
import { PersonProposal } from "../access/PersonProposal";
import { PersonKeysSection } from "../access-keys/PersonKeysSection";
import { peopleApi } from "./api";
import { DeletePersonDialog } from "./DeletePersonDialog";
import { OffboardDialog } from "./OffboardDialog";
import { PersonDialog } from "./PersonDialog";
import { PersonStatus } from "./PersonStatus";
import { employmentLabel } from "./types";

function BackLink() {
  return (
    <Link className="back-link" to="/people">
      <Icon name="arrowLeft" />
      All people
    </Link>
  );
}

export function PersonPage() {
  const { id = "" } = useParams();
  const can = useCan();
  const [editing, setEditing] = useState(false);
  const [offboarding, setOffboarding] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const person = useQuery({ queryKey: keys.person(id), queryFn: () => peopleApi.person(id) });

  if (person.isPending) return <PageLoading label="Loading person" />;
  if (person.isError) {
    const missing =
      person.error instanceof ApiError &&
      (person.error.status === 404 || person.error.status === 400);
    return (
      <>
        <BackLink />
        <PageHeader title={missing ? "Person not found" : "Person"} />
        {missing ? (
          <EmptyState icon="search" title="There is no such person" />
        ) : (
          <LoadError error={person.error} onRetry={() => person.refetch()} />
        )}
      </>
    );
  }
  const p = person.data;
  return (
    <>
      <BackLink />
      <PageHeader
        title={p.name}
        eyebrow={`Person ${p.reference}`}
        description={p.email}
        actions={
          can("people.manage") && (
            <>
              {!p.userId && (
                <button
                  type="button"
                  className="button button-ghost"
                  onClick={() => setDeleting(true)}
                >
                  Delete
                </button>
              )}
              <button
                type="button"
                className="button button-secondary"
                onClick={() => setOffboarding(true)}
              >
                Offboard
              </button>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => setEditing(true)}
              >
                Edit
              </button>
            </>
          )
        }
      />
      <section className="card section" aria-labelledby="person-heading">
        <h2 id="person-heading" className="section-title">
          Details
        </h2>
        <dl className="facts facts-inline">
          <div>
            <dt>Status</dt>
            <dd>
              <PersonStatus person={p} />
            </dd>
          </div>
          <div>
            <dt>Reference</dt>
            <dd>{p.reference}</dd>
          </div>
          <div>
            <dt>Job role</dt>
            <dd>{p.jobRole ?? <span className="muted">None</span>}</dd>
          </div>
          <div>
            <dt>Employment type</dt>
            <dd>{employmentLabel(p.employmentType)}</dd>
          </div>
          <div>
            <dt>Manager</dt>
            <dd>
              {p.managerId ? (
                <Link to={`/people/${p.managerId}`}>{p.managerName}</Link>
              ) : (
                <span className="muted">None</span>
              )}
            </dd>
          </div>
          <div>
            <dt>Direct reports</dt>
            <dd>
              {p.directReports ? (
                <Link to={`/people?status=all&managerId=${p.id}`}>{p.directReports}</Link>
              ) : (
                <span className="muted">None</span>
              )}
            </dd>
          </div>
          <div>
            <dt>Start date</dt>
            <dd>{formatDay(p.startDate)}</dd>
          </div>
          <div>
            <dt>End date</dt>
            <dd>{p.endDate ? formatDay(p.endDate) : <span className="muted">None</span>}</dd>
          </div>
          <div>
            <dt>Attest account</dt>
            <dd>{p.userId ? "Yes" : <span className="muted">No</span>}</dd>
          </div>
        </dl>
      </section>
      <PersonAccessSection personId={p.id} />
      <PersonKeysSection personId={p.id} />
      <PersonProposal personId={p.id} />
      <PersonDialog person={editing ? p : undefined} onClose={() => setEditing(false)} />
      <OffboardDialog person={p} open={offboarding} onClose={() => setOffboarding(false)} />
      <DeletePersonDialog person={p} open={deleting} onClose={() => setDeleting(false)} />
    </>
  );
}
