// Access requests for systems: mine (asked by me, for me, or mine to decide) or everyone's;
// ask for a role on a system with a reason.
import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { CheckboxField, SelectField, TextAreaField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime, plural } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { Modal } from "../../ui/Modal";
import { PageHeader } from "../../ui/PageHeader";
import { Badge, type Tone } from "../../ui/StatusBadge";
import { useCan } from "../../ui/session";
import {
  accessWorkflowApi,
  type RequestFilter,
  type SystemAccessRequest,
} from "./access-workflow.api";
import { useAccessMutation, useSystemChoices, useSystemRequests } from "./access-workflow.queries";

const STATUS: Record<SystemAccessRequest["status"], { label: string; tone: Tone }> = {
  pending: { label: "Pending", tone: "warning" },
  approved: { label: "Approved", tone: "success" },
  denied: { label: "Denied", tone: "danger" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

export function RequestStatus({ request }: { request: SystemAccessRequest }) {
  const { label, tone } = STATUS[request.status];
  return <Badge tone={tone}>{label}</Badge>;
}

function AskDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const systems = useSystemChoices(open);
  const [systemId, setSystemId] = useState("");
  const [systemRole, setSystemRole] = useState("");
  const [admin, setAdmin] = useState(false);
  const [reason, setReason] = useState("");
  const ask = useAccessMutation(() =>
    accessWorkflowApi.ask({ systemId, systemRole, admin, reason }),
  );
  return (
    <Modal open={open} title="Request access" onClose={onClose}>
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          const created = await ask.mutateAsync(undefined);
          onClose();
          navigate(`/access/requests/${created.id}`);
        }}
      >
        <div className="modal-body">
          <SelectField
            label="System"
            value={systemId}
            required
            onChange={(e) => setSystemId(e.target.value)}
          >
            <option value="">Choose a system</option>
            {(systems.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Role on the system"
            value={systemRole}
            required
            onChange={(e) => setSystemRole(e.target.value)}
          />
          <CheckboxField
            label="Administrative access"
            checked={admin}
            onChange={(e) => setAdmin(e.target.checked)}
          />
          <TextAreaField
            label="Why you need it"
            value={reason}
            required
            onChange={(e) => setReason(e.target.value)}
          />
          <FormAlert error={ask.error ?? systems.error} />
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={ask.isPending}>
            {ask.isPending ? "Sending…" : "Send the request"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function RequestsPage() {
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const [asking, setAsking] = useState(false);
  const everyone = can("access.read") && params.get("mine") === "false";
  const status = params.get("status") ?? "";
  const filter: RequestFilter = {
    ...(everyone ? {} : { mine: "true" }),
    ...(status ? { status: status as NonNullable<RequestFilter["status"]> } : {}),
  };
  const requests = useSystemRequests(filter);
  const items = requests.data?.pages.flatMap((p) => p.items) ?? [];

  function set(name: string, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  }

  return (
    <>
      <PageHeader
        title="System access requests"
        description="Ask for a role on a system; its owner approves or denies, then carries the access out."
        actions={
          can("access.self") && (
            <button type="button" className="button button-primary" onClick={() => setAsking(true)}>
              <Icon name="plus" />
              Request access
            </button>
          )
        }
      />
      <search className="toolbar" aria-label="Filter requests">
        {can("access.read") && (
          <SelectField
            label="Whose"
            value={everyone ? "false" : "true"}
            onChange={(e) => set("mine", e.target.value)}
          >
            <option value="true">Mine to ask, have or decide</option>
            <option value="false">Everyone's</option>
          </SelectField>
        )}
        <SelectField label="Status" value={status} onChange={(e) => set("status", e.target.value)}>
          <option value="">Any status</option>
          <option value="pending">Pending</option>
          <option value="approved">Approved</option>
          <option value="denied">Denied</option>
          <option value="cancelled">Cancelled</option>
        </SelectField>
      </search>
      {requests.isPending && <PageLoading label="Loading requests" />}
      {requests.isError && <LoadError error={requests.error} onRetry={() => requests.refetch()} />}
      {requests.isSuccess && (
        <p className="result-count" aria-live="polite">
          {plural(items.length, "request")}
          {requests.hasNextPage ? " so far" : ""}
        </p>
      )}
      {requests.isSuccess && items.length === 0 && (
        <EmptyState icon="access" title="No requests">
          <p>Requests you make, or that are yours to decide, appear here.</p>
        </EmptyState>
      )}
      {items.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
        <section className="table-wrap" aria-label="System access requests" tabIndex={0}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">System and role</th>
                <th scope="col">Asked</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/access/requests/${r.id}`}>{r.person.name}</Link>
                  </td>
                  <td>
                    {r.systemRole}
                    {r.admin ? " (admin)" : ""} on {r.system.name}
                  </td>
                  <td>{formatDateTime(r.requestedAt)}</td>
                  <td>
                    <RequestStatus request={r} />
                    {r.mayDecide && <div className="cell-secondary">Yours to decide</div>}
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
            onClick={() => requests.fetchNextPage()}
            disabled={requests.isFetchingNextPage}
          >
            {requests.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
      <AskDialog open={asking} onClose={() => setAsking(false)} />
    </>
  );
}
