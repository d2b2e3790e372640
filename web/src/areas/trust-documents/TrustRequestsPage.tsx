// Requests for gated trust center documents: pending first; approve or deny with a note,
// revoke a link, and see every view and download made through it.
import { useState } from "react";
import { Link } from "react-router";
import { CopyButton } from "../../ui/CopyButton";
import { EmptyState } from "../../ui/EmptyState";
import { SelectField, TextAreaField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime } from "../../ui/format";
import { LoadError, PageLoading, Spinner } from "../../ui/Loading";
import { Modal } from "../../ui/Modal";
import { PageHeader } from "../../ui/PageHeader";
import { Badge, type Tone } from "../../ui/StatusBadge";
import { useCan } from "../../ui/session";
import {
  useAccessEvents,
  useAccessRequests,
  useRequestMutation,
  useTrustDocumentsApi,
} from "./queries";
import type { AccessRequest, Decision, RequestStatus } from "./types";
import "../../styles/trust-documents.css";
import { useOutgoingMail } from "../monitoring/queries";

const STATUS: Record<RequestStatus, { label: string; tone: Tone }> = {
  pending: { label: "Pending", tone: "warning" },
  approved: { label: "Approved", tone: "success" },
  denied: { label: "Denied", tone: "neutral" },
  revoked: { label: "Revoked", tone: "neutral" },
};

function RequestStatusBadge({ request }: { request: AccessRequest }) {
  if (request.status === "approved" && request.linkState === "expired") {
    return <Badge tone="neutral">Link expired</Badge>;
  }
  const { label, tone } = STATUS[request.status];
  return <Badge tone={tone}>{label}</Badge>;
}

function AccessLog({ request }: { request: AccessRequest }) {
  const events = useAccessEvents(request.id);
  return (
    <section aria-labelledby="access-log-heading" className="request-log">
      <h3 id="access-log-heading" className="subsection-title">
        Access log
      </h3>
      {events.isPending && <Spinner label="Loading the access log" />}
      {events.isError && <LoadError error={events.error} onRetry={() => events.refetch()} />}
      {events.isSuccess && events.data.length === 0 && (
        <p className="muted">
          {request.status === "approved" ? "The link has not been opened yet." : "No access."}
        </p>
      )}
      {events.isSuccess && events.data.length > 0 && (
        <table className="table table-compact">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {events.data.map((event) => (
              <tr key={event.id}>
                <td>{formatDateTime(event.createdAt)}</td>
                <td>
                  {event.action === "view"
                    ? "Opened the link"
                    : `Downloaded ${event.document?.title ?? "a document"}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RequestDetail({
  request,
  manage,
  onChanged,
}: {
  request: AccessRequest;
  manage: boolean;
  onChanged: (request: AccessRequest) => void;
}) {
  const api = useTrustDocumentsApi();
  const [note, setNote] = useState("");
  const [decision, setDecision] = useState<Decision | null>(null);
  const approve = useRequestMutation(() => api.approve(request.id, note));
  const deny = useRequestMutation(() => api.deny(request.id, note));
  const revoke = useRequestMutation(() => api.revoke(request.id));
  const error = approve.error ?? deny.error ?? revoke.error;
  const pending = approve.isPending || deny.isPending || revoke.isPending;
  const decided = (result: Decision) => {
    setDecision(result);
    onChanged(result.request);
  };

  return (
    <div className="modal-body request-detail">
      <dl className="facts facts-inline">
        <div>
          <dt>Requester</dt>
          <dd>
            {request.name}
            <br />
            <a href={`mailto:${request.email}`}>{request.email}</a>
          </dd>
        </div>
        <div>
          <dt>Company</dt>
          <dd>{request.company}</dd>
        </div>
        <div>
          <dt>Requested</dt>
          <dd>{formatDateTime(request.createdAt)}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <RequestStatusBadge request={request} />
          </dd>
        </div>
      </dl>
      <h3 className="subsection-title">Reason</h3>
      <p className="request-reason">{request.reason}</p>
      <h3 className="subsection-title">Documents</h3>
      <ul className="plain-list">
        {request.documents.map((d) => (
          <li key={d.id}>
            {d.title} {d.deleted && <Badge>Deleted</Badge>}
          </li>
        ))}
      </ul>
      <h3 className="subsection-title">Agreement</h3>
      {request.nda ? (
        <details className="disclosure">
          <summary>
            Accepted {formatDateTime(request.nda.acceptedAt)} (SHA-256{" "}
            <span className="mono">{request.nda.sha256.slice(0, 12)}…</span>)
          </summary>
          <pre className="request-nda">{request.nda.text}</pre>
        </details>
      ) : (
        <p className="muted">No agreement was asked for.</p>
      )}
      {request.status !== "pending" && (
        <>
          <h3 className="subsection-title">Decision</h3>
          <p>
            {request.autoApprovedRule
              ? `Approved at once by the rule: ${request.autoApprovedRule}.`
              : `${STATUS[request.status === "revoked" ? "approved" : request.status].label} by ${
                  request.decidedBy?.name ?? "—"
                } on ${formatDateTime(request.decidedAt)}.`}
            {request.decisionNote && ` Note: ${request.decisionNote}`}
          </p>
          {request.expiresAt && request.status === "approved" && (
            <p>
              The link {request.linkState === "expired" ? "expired" : "works until"}{" "}
              {formatDateTime(request.expiresAt)}.
            </p>
          )}
          {request.revokedAt && (
            <p>
              Revoked by {request.revokedBy?.name ?? "—"} on {formatDateTime(request.revokedAt)}.
            </p>
          )}
        </>
      )}
      <FormAlert error={error} />
      {decision && (
        <div className="alert alert-info" role="status">
          <div className="alert-body">
            {decision.mailSent ? (
              <p>The requester has been emailed.</p>
            ) : decision.accessUrl ? (
              <>
                <p>The email could not be sent. Pass this link on to the requester yourself:</p>
                <p className="mono request-link">{decision.accessUrl}</p>
                <CopyButton value={decision.accessUrl} label="Copy link" />
              </>
            ) : (
              <p>The email could not be sent.</p>
            )}
          </div>
        </div>
      )}
      {manage && request.status === "pending" && (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
          }}
        >
          <TextAreaField
            label="Note (optional, sent to the requester)"
            name="note"
            rows={2}
            maxLength={2000}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <div className="form-actions">
            <button
              type="button"
              className="button button-primary"
              disabled={pending}
              onClick={() => approve.mutate(undefined, { onSuccess: decided })}
            >
              Approve
            </button>
            <button
              type="button"
              className="button button-secondary"
              disabled={pending}
              onClick={() => deny.mutate(undefined, { onSuccess: decided })}
            >
              Deny
            </button>
          </div>
        </form>
      )}
      {manage && request.status === "approved" && request.linkState === "active" && (
        <div className="form-actions">
          <button
            type="button"
            className="button button-danger"
            disabled={pending}
            onClick={() => revoke.mutate(undefined, { onSuccess: onChanged })}
          >
            Revoke link
          </button>
        </div>
      )}
      <AccessLog request={request} />
    </div>
  );
}

export function TrustRequestsPage() {
  const can = useCan();
  const manage = can("trust.manage");
  const emailed = useOutgoingMail(manage).data?.configured;
  const [status, setStatus] = useState<RequestStatus | "">("");
  const requests = useAccessRequests(status);
  const [open, setOpen] = useState<AccessRequest | null>(null);
  const items = requests.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title="Access requests"
        eyebrow="Trust center"
        description={
          <>
            Requests for gated documents of the trust center.{" "}
            {emailed === false
              ? "Outgoing mail is off: an approval shows you a personal link to pass on to the requester;"
              : emailed
                ? "An approval emails the requester a personal link;"
                : "An approval gives the requester a personal link;"}{" "}
            downloads are stamped with their name. Documents and the NDA are set on{" "}
            <Link to="/trust-center/documents">Documents</Link>.
          </>
        }
      />
      <search className="toolbar" aria-label="Filter requests">
        <SelectField
          label="Status"
          name="status"
          value={status}
          onChange={(e) => setStatus(e.target.value as RequestStatus | "")}
        >
          <option value="">All (pending first)</option>
          <option value="pending">Pending</option>
          <option value="approved">Approved</option>
          <option value="denied">Denied</option>
          <option value="revoked">Revoked</option>
        </SelectField>
      </search>
      {requests.isPending && <PageLoading label="Loading requests" />}
      {requests.isError && <LoadError error={requests.error} onRetry={() => requests.refetch()} />}
      {requests.isSuccess && items.length === 0 && (
        <EmptyState title={status ? "No requests with this status" : "No requests yet"}>
          <p>Requests made on the public trust center appear here.</p>
        </EmptyState>
      )}
      {items.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
        <section className="table-wrap" aria-label="Requests" tabIndex={0}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Requester</th>
                <th scope="col">Documents</th>
                <th scope="col">Requested</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((request) => (
                <tr key={request.id} data-request-id={request.id}>
                  <td>
                    <div className="cell-primary">{request.name}</div>
                    <div className="cell-secondary">
                      {request.company} · {request.email}
                    </div>
                  </td>
                  <td>{request.documents.map((d) => d.title).join(", ")}</td>
                  <td>{formatDateTime(request.createdAt)}</td>
                  <td>
                    <RequestStatusBadge request={request} />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      onClick={() => setOpen(request)}
                    >
                      {request.status === "pending" && manage ? "Review" : "Details"}
                      <span className="visually-hidden"> request from {request.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {requests.hasNextPage && (
        <div className="load-more">
          <button
            type="button"
            className="button button-secondary"
            disabled={requests.isFetchingNextPage}
            onClick={() => requests.fetchNextPage()}
          >
            {requests.isFetchingNextPage ? "Loading…" : "Show more"}
          </button>
        </div>
      )}
      <Modal
        open={open !== null}
        title={open ? `Request from ${open.name}` : "Request"}
        onClose={() => setOpen(null)}
      >
        {open && <RequestDetail request={open} manage={manage} onChanged={setOpen} />}
      </Modal>
    </>
  );
}
