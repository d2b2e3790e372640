// What can happen to a policy next, by its state and the user's permissions: submit the
// draft, approve and publish or reject it, review the current version, retire the policy.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { FormAlert } from "../../ui/FormAlert";
import { formatDate } from "../../ui/format";
import { ConfirmDialog } from "../../ui/Modal";
import { useCan } from "../../ui/session";
import { policiesApi } from "./api";
import { CommentDialog } from "./CommentDialog";
import { isTextFinished, PolicyTextLeft } from "./PolicyTextLeft";
import { usePolicySaved } from "./policy-cache";
import type { Policy } from "./types";

type Action =
  | { kind: "submit" }
  | { kind: "approve"; comment: string }
  | { kind: "reject"; reason: string }
  | { kind: "review"; comment: string }
  | { kind: "retire" };

type Dialog = "approve" | "reject" | "review" | "retire" | null;

function run(policy: Policy, action: Action): Promise<Policy> {
  switch (action.kind) {
    case "submit":
      return policiesApi.submitPolicy(policy.id);
    case "approve":
      return policiesApi.approvePolicy(policy.id, action.comment || undefined);
    case "reject":
      return policiesApi.rejectPolicy(policy.id, action.reason);
    case "review":
      return policiesApi.reviewPolicy(policy.id, action.comment || undefined);
    case "retire":
      return policiesApi.retirePolicy(policy.id);
  }
}

const done: Record<Action["kind"], string> = {
  submit: "Submitted for approval.",
  approve: "Approved and published. Everyone in the audience is asked to acknowledge it.",
  reject: "Sent back to draft.",
  review: "Reviewed: the current version is re-approved.",
  retire: "Retired.",
};

export function PolicyWorkflow({ policy, dirty }: { policy: Policy; dirty: boolean }) {
  const can = useCan();
  const saved = usePolicySaved();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [message, setMessage] = useState("");
  const action = useMutation({
    mutationFn: (a: Action) => run(policy, a),
    onSuccess: (updated, a) => {
      saved(updated);
      setDialog(null);
      setMessage(done[a.kind]);
    },
  });
  const open = policy.versions.find((v) => v.status === "draft" || v.status === "submitted");
  const current = policy.versions.find((v) => v.status === "published");
  const approver = can("policies.approve");
  const manager = can("policies.manage");
  const openLeft = open && {
    placeholders: open.placeholders,
    templateNote: open.templateNote,
    effectiveDate: open.body.includes("{{effective_date}}"),
  };
  const openFinished = !openLeft || isTextFinished(openLeft);

  function start(next: Dialog) {
    action.reset();
    setMessage("");
    setDialog(next);
  }

  if (policy.retiredAt) {
    return (
      <p className="muted">Retired on {formatDate(policy.retiredAt)}. It no longer applies.</p>
    );
  }

  const dialogError = dialog ? action.error : null;
  return (
    <div className="workflow">
      {!dialog && <FormAlert error={action.error} title="That did not work" />}
      <p className="form-status" role="status">
        {message}
      </p>
      {open?.status === "draft" && (
        <div className="workflow-step">
          <p>
            Version {open.version} is a draft.{" "}
            {manager ? "Submit it when it is ready for an owner or admin to approve." : ""}
          </p>
          {manager && (
            <>
              <button
                type="button"
                className="button button-primary"
                disabled={dirty || action.isPending}
                onClick={() => {
                  setMessage("");
                  action.mutate({ kind: "submit" });
                }}
              >
                Submit for approval
              </button>
              {dirty && <p className="field-hint">Save the draft first.</p>}
              {!dirty && !openFinished && (
                <p className="field-hint">
                  It cannot be approved until its placeholders and the template note are gone
                  (listed under the text).
                </p>
              )}
            </>
          )}
        </div>
      )}
      {open?.status === "submitted" && (
        <div className="workflow-step">
          <p>
            Version {open.version} awaits approval
            {open.author ? ` (written by ${open.author.name})` : ""}.
          </p>
          {approver ? (
            <div className="workflow-buttons">
              <button
                type="button"
                className="button button-primary"
                onClick={() => start("approve")}
              >
                Approve and publish
              </button>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => start("reject")}
              >
                Reject
              </button>
            </div>
          ) : (
            <p className="muted">An owner or admin approves it.</p>
          )}
        </div>
      )}
      {current && approver && open?.status !== "submitted" && (
        <div className="workflow-step">
          <p>
            Version {current.version} is in force. Review it at least once a year: if it is still
            right, re-approve it unchanged.
          </p>
          <button type="button" className="button button-secondary" onClick={() => start("review")}>
            Review (re-approve unchanged)
          </button>
        </div>
      )}
      {approver && (
        <div className="workflow-step workflow-retire">
          <button
            type="button"
            className="button button-ghost-danger"
            onClick={() => start("retire")}
          >
            Retire policy
          </button>
        </div>
      )}
      <CommentDialog
        open={dialog === "approve"}
        title={`Approve and publish version ${open?.version ?? ""}?`}
        label="Comment (optional)"
        confirmLabel="Approve and publish"
        confirmDisabled={!openFinished}
        pending={action.isPending}
        error={dialogError}
        onConfirm={(comment) => action.mutate({ kind: "approve", comment })}
        onClose={() => setDialog(null)}
      >
        {openLeft && <PolicyTextLeft left={openLeft} subject={`version ${open?.version ?? ""}`} />}
        {openFinished ? (
          <p>
            It becomes the current version
            {current ? `, replacing version ${current.version}` : ""}, and everyone in its audience
            is asked to acknowledge it.
          </p>
        ) : (
          <p>Reject it with what to change; the author finishes it and submits it again.</p>
        )}
      </CommentDialog>
      <CommentDialog
        open={dialog === "reject"}
        title={`Reject version ${open?.version ?? ""}?`}
        label="Reason"
        required
        confirmLabel="Reject"
        danger
        pending={action.isPending}
        error={dialogError}
        onConfirm={(reason) => action.mutate({ kind: "reject", reason })}
        onClose={() => setDialog(null)}
      >
        <p>It goes back to draft; the reason is recorded in the audit log.</p>
      </CommentDialog>
      <CommentDialog
        open={dialog === "review"}
        title={`Re-approve version ${current?.version ?? ""} unchanged?`}
        label="Comment (optional)"
        confirmLabel="Re-approve"
        pending={action.isPending}
        error={dialogError}
        onConfirm={(comment) => action.mutate({ kind: "review", comment })}
        onClose={() => setDialog(null)}
      >
        <p>This records the periodic review. People do not need to acknowledge it again.</p>
      </CommentDialog>
      <ConfirmDialog
        open={dialog === "retire"}
        title={`Retire “${policy.title}”?`}
        confirmLabel="Retire policy"
        pending={action.isPending}
        error={<FormAlert error={dialogError} />}
        onConfirm={() => action.mutate({ kind: "retire" })}
        onClose={() => setDialog(null)}
      >
        <p>
          It stops applying: nobody is asked to acknowledge it, and its control no longer counts it.
          Its versions are kept.
        </p>
      </ConfirmDialog>
    </div>
  );
}
