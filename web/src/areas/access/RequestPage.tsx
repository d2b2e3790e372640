// One access request: what was asked and why; the system's owner approves or denies it, the
// requester may cancel it while pending.
import { useState } from "react";
import { Link, useParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { TextAreaField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime } from "../../ui/format";
import { ApiError } from "../../ui/http";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { useSession } from "../../ui/session";
import { accessWorkflowApi, type SystemAccessRequest } from "./access-workflow.api";
import { useAccessMutation, useSystemRequest } from "./access-workflow.queries";
import { RequestStatus } from "./RequestsPage";

function BackLink() {
  return (
    <Link className="back-link" to="/access/requests">
      <Icon name="arrowLeft" />
      All requests
    </Link>
  );
}

function Decide({ request }: { request: SystemAccessRequest }) {
  const [comment, setComment] = useState("");
  const approve = useAccessMutation(() => accessWorkflowApi.approve(request.id, comment));
  const deny = useAccessMutation(() => accessWorkflowApi.deny(request.id, comment));
  return (
    <section className="card section" aria-labelledby="decide-heading">
      <h2 id="decide-heading" className="section-title">
        Decide
      </h2>
      <form className="form" onSubmit={(e) => e.preventDefault()}>
        <TextAreaField
          label="Comment (required to deny)"
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
        <FormAlert error={approve.error ?? deny.error} />
        <div className="form-actions">
          <button
            type="button"
            className="button button-primary"
            disabled={approve.isPending || deny.isPending}
            onClick={() => approve.mutate(undefined)}
          >
            Approve
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={approve.isPending || deny.isPending}
            onClick={() => deny.mutate(undefined)}
          >
            Deny
          </button>
        </div>
      </form>
    </section>
  );
}

export function RequestPage() {
  const { id = "" } = useParams();
  const { user } = useSession();
  const request = useSystemRequest(id);
  const cancel = useAccessMutation(() => accessWorkflowApi.cancelRequest(id));
  if (request.isPending) return <PageLoading label="Loading the request" />;
  if (request.isError) {
    const missing = request.error instanceof ApiError && request.error.status === 404;
    return (
      <>
        <BackLink />
        <PageHeader title={missing ? "Request not found" : "Access request"} />
        {missing ? (
          <EmptyState icon="search" title="There is no such request" />
        ) : (
          <LoadError error={request.error} onRetry={() => request.refetch()} />
        )}
      </>
    );
  }
  const r = request.data;
  return (
    <>
      <BackLink />
      <PageHeader
        eyebrow="Access request"
        title={`${r.systemRole}${r.admin ? " (admin)" : ""} on ${r.system.name} for ${r.person.name}`}
        actions={
          r.status === "pending" &&
          r.requestedBy?.id === user.id && (
            <button
              type="button"
              className="button button-secondary"
              disabled={cancel.isPending}
              onClick={() => cancel.mutate(undefined)}
            >
              Cancel the request
            </button>
          )
        }
      />
      <FormAlert error={cancel.error} />
      <section className="card section" aria-labelledby="request-heading">
        <h2 id="request-heading" className="section-title">
          Details
        </h2>
        <dl className="facts facts-inline">
          <div>
            <dt>Status</dt>
            <dd>
              <RequestStatus request={r} />
            </dd>
          </div>
          <div>
            <dt>For</dt>
            <dd>
              <Link to={`/people/${r.person.id}`}>{r.person.name}</Link>
            </dd>
          </div>
          <div>
            <dt>Asked by</dt>
            <dd>
              {r.requestedBy?.name ?? "—"}, {formatDateTime(r.requestedAt)}
            </dd>
          </div>
          {r.decidedAt && (
            <div>
              <dt>Decided</dt>
              <dd>
                {r.decidedBy?.name ?? "—"}, {formatDateTime(r.decidedAt)}
              </dd>
            </div>
          )}
        </dl>
        <h3 className="subsection-title">Reason</h3>
        <p>{r.reason}</p>
        {r.decisionComment && (
          <>
            <h3 className="subsection-title">Comment</h3>
            <p>{r.decisionComment}</p>
          </>
        )}
      </section>
      {r.mayDecide && <Decide request={r} />}
    </>
  );
}
