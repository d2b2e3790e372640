// Risk acceptances as a list: each with its reason, expiry, who asked and who decided, and the
// approve, reject and revoke actions for whoever may take them.
import { useState } from "react";
import { Link } from "react-router";
import { TextAreaField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDate, formatDateTime } from "../../ui/format";
import { Modal } from "../../ui/Modal";
import { Badge } from "../../ui/StatusBadge";
import { useCan } from "../../ui/session";
import { ReasonDialog } from "./FindingDialogs";
import {
  ACCEPTANCE_LABELS,
  findingsApi,
  type RiskAcceptance,
  useFindingMutation,
} from "./findings.queries";

function ApproveDialog({
  acceptance,
  onClose,
}: {
  acceptance: RiskAcceptance;
  onClose: () => void;
}) {
  const [comment, setComment] = useState("");
  const approve = useFindingMutation(
    () => findingsApi.approve(acceptance.id, comment.trim() || undefined),
    onClose,
  );
  return (
    <Modal open title="Approve the risk acceptance?" onClose={onClose}>
      <form
        className="form"
        aria-busy={approve.isPending}
        onSubmit={(e) => {
          e.preventDefault();
          approve.mutate(undefined);
        }}
      >
        <div className="modal-body">
          <FormAlert error={approve.error} />
          <p>
            {acceptance.findingTitle} on {acceptance.systemName} will not count against its deadline
            until {formatDate(acceptance.expiresAt)}.
          </p>
          <TextAreaField
            label="Comment (optional)"
            rows={2}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={approve.isPending}>
            Approve
          </button>
        </div>
      </form>
    </Modal>
  );
}

type Acting = { kind: "approve" | "reject" | "revoke"; acceptance: RiskAcceptance } | null;

export function AcceptanceList({
  acceptances,
  showFinding,
}: {
  acceptances: RiskAcceptance[];
  showFinding: boolean;
}) {
  const can = useCan();
  const [acting, setActing] = useState<Acting>(null);
  const close = () => setActing(null);
  return (
    <>
      <ul className="plain-list">
        {acceptances.map((a) => (
          <li key={a.id} className="card section">
            {showFinding && (
              <p>
                <Link to={`/vulnerabilities/findings/${a.findingId}`}>{a.findingTitle}</Link>{" "}
                <span className="muted">on {a.systemName}</span>
              </p>
            )}
            <p>
              <Badge
                tone={
                  a.status === "approved"
                    ? "success"
                    : a.status === "pending"
                      ? "warning"
                      : "neutral"
                }
              >
                {ACCEPTANCE_LABELS[a.status]}
              </Badge>{" "}
              until {formatDate(a.expiresAt)}
            </p>
            <p className="break">{a.reason}</p>
            <p className="muted">
              Asked by {a.requestedBy?.name ?? "someone"} on {formatDateTime(a.requestedAt)}
              {a.approver ? `, of ${a.approver.name}` : ", of any owner or admin"}
              {a.decidedBy && a.decidedAt
                ? `; ${a.status === "rejected" ? "rejected" : "approved"} by ${a.decidedBy.name} on ${formatDateTime(a.decidedAt)}`
                : ""}
              {a.decisionComment ? `: ${a.decisionComment}` : ""}
              {a.revokedAt
                ? `; revoked by ${a.revokedBy?.name ?? "someone"} on ${formatDateTime(a.revokedAt)}`
                : ""}
            </p>
            <div className="page-actions">
              {a.mayDecide && (
                <>
                  <button
                    type="button"
                    className="button button-primary"
                    onClick={() => setActing({ kind: "approve", acceptance: a })}
                  >
                    Approve
                  </button>
                  <button
                    type="button"
                    className="button button-secondary"
                    onClick={() => setActing({ kind: "reject", acceptance: a })}
                  >
                    Reject
                  </button>
                </>
              )}
              {can("vulnerabilities.manage") &&
                (a.status === "pending" || a.status === "approved") && (
                  <button
                    type="button"
                    className="button button-ghost"
                    onClick={() => setActing({ kind: "revoke", acceptance: a })}
                  >
                    {a.status === "pending" ? "Withdraw" : "Revoke"}
                  </button>
                )}
            </div>
          </li>
        ))}
      </ul>
      {acting?.kind === "approve" && (
        <ApproveDialog acceptance={acting.acceptance} onClose={close} />
      )}
      {acting?.kind === "reject" && (
        <ReasonDialog
          title="Reject the risk acceptance?"
          explanation="The finding stays open and counts against its deadline. Say why, for the requester."
          submit="Reject"
          danger
          run={(reason) => findingsApi.reject(acting.acceptance.id, reason)}
          onClose={close}
        />
      )}
      {acting?.kind === "revoke" && (
        <ReasonDialog
          title={
            acting.acceptance.status === "pending"
              ? "Withdraw the request?"
              : "Revoke the risk acceptance?"
          }
          explanation="The finding is open again and counts against its deadline from now."
          submit={acting.acceptance.status === "pending" ? "Withdraw" : "Revoke"}
          danger
          run={(reason) => findingsApi.revoke(acting.acceptance.id, reason)}
          onClose={close}
        />
      )}
    </>
  );
}
