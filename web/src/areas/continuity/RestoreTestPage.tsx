// One restore test: what was restored, when and into what, by whom, each integrity check and
// what it found, the evidence attached (and attaching more), and withdrawing a wrong record.
import "./continuity.css";
import { type FormEvent, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { Callout } from "../../ui/Callout";
import { TextAreaField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime, formatDay } from "../../ui/format";
import { fieldErrorsOf } from "../../ui/forms";
import { LoadError, PageLoading } from "../../ui/Loading";
import { Modal } from "../../ui/Modal";
import { PageHeader } from "../../ui/PageHeader";
import { Badge } from "../../ui/StatusBadge";
import { useCan } from "../../ui/session";
import { continuityApi } from "./continuity.api";
import { ResultBadge } from "./continuity.components";
import { useContinuityMutation, useRestoreTest } from "./continuity.queries";
import type { RestoreTest } from "./continuity.types";

function WithdrawDialog({
  test,
  open,
  onClose,
}: {
  test: RestoreTest;
  open: boolean;
  onClose: () => void;
}) {
  const [reason, setReason] = useState("");
  const withdraw = useContinuityMutation(() => continuityApi.withdraw(test.id, reason.trim()));
  const errors = fieldErrorsOf(withdraw.error);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if ((await withdraw.mutateAsync(undefined).catch(() => null)) !== null) onClose();
  }
  return (
    <Modal
      open={open}
      title="Withdraw the restore test"
      description="A wrong record is kept and audited, and no longer counts for the control."
      onClose={onClose}
    >
      <form className="form" onSubmit={onSubmit} aria-busy={withdraw.isPending}>
        <div className="modal-body">
          <FormAlert error={withdraw.error} />
          <TextAreaField
            label="Why is it wrong?"
            value={reason}
            rows={3}
            required
            maxLength={4000}
            onChange={(e) => setReason(e.target.value)}
            error={errors.reason}
          />
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-danger" disabled={withdraw.isPending}>
            Withdraw
          </button>
        </div>
      </form>
    </Modal>
  );
}

function Evidence({ test, canManage }: { test: RestoreTest; canManage: boolean }) {
  const file = useRef<HTMLInputElement>(null);
  const attach = useContinuityMutation((chosen: File) => continuityApi.attach(test.id, chosen));
  return (
    <section className="card section" aria-labelledby="evidence-heading">
      <h2 className="section-title" id="evidence-heading">
        Evidence
      </h2>
      {test.evidence.length === 0 ? (
        <p className="muted">No file attached.</p>
      ) : (
        <ul>
          {test.evidence.map((e) => (
            <li key={e.id}>
              <Link to={`/evidence/${e.id}`}>{e.fileName ?? "File"}</Link>, attached{" "}
              {formatDateTime(e.attachedAt)}
            </li>
          ))}
        </ul>
      )}
      {canManage && !test.withdrawnAt && (
        <div className="field">
          <FormAlert error={attach.error} />
          <label className="field-label" htmlFor="restore-evidence">
            Attach a file (kept encrypted as evidence)
          </label>
          <input
            id="restore-evidence"
            ref={file}
            className="input"
            type="file"
            disabled={attach.isPending}
            onChange={async (e) => {
              const chosen = e.target.files?.[0];
              if (!chosen) return;
              await attach.mutateAsync(chosen).catch(() => null);
              if (file.current) file.current.value = "";
            }}
          />
          {attach.isPending && <p className="muted">Uploading…</p>}
        </div>
      )}
    </section>
  );
}

export function RestoreTestPage() {
  const { id = "" } = useParams();
  const can = useCan();
  const test = useRestoreTest(id);
  const [withdrawing, setWithdrawing] = useState(false);
  if (test.isPending) return <PageLoading label="Loading the restore test" />;
  if (test.isError) return <LoadError error={test.error} onRetry={() => test.refetch()} />;
  const r = test.data;
  const canManage = can("continuity.manage");
  return (
    <>
      <PageHeader
        eyebrow={<Link to="/continuity">Restore tests</Link>}
        title={`Restore test of ${r.system.name}`}
        description={`Performed on ${formatDay(r.performedOn)}.`}
        actions={
          canManage &&
          !r.withdrawnAt && (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => setWithdrawing(true)}
            >
              Withdraw
            </button>
          )
        }
      />
      {r.withdrawnAt && (
        <Callout tone="warning" title="Withdrawn" role="status">
          Withdrawn {formatDateTime(r.withdrawnAt)}
          {r.withdrawnBy ? ` by ${r.withdrawnBy.name}` : ""}: {r.withdrawnReason}. It no longer
          counts for the control.
        </Callout>
      )}
      <section className="card section" aria-labelledby="facts-heading">
        <h2 className="section-title" id="facts-heading">
          Details
        </h2>
        <dl className="restore-facts">
          <dt>Result</dt>
          <dd>
            <ResultBadge result={r.result} withdrawn={r.withdrawnAt !== null} />
          </dd>
          <dt>System</dt>
          <dd>
            <Link to={`/systems/${r.system.id}`}>{r.system.name}</Link>
          </dd>
          <dt>Backup taken</dt>
          <dd>
            {formatDateTime(r.backupTakenAt)}
            {r.backupReference ? ` (${r.backupReference})` : ""}
          </dd>
          <dt>Restored into</dt>
          <dd>
            {r.restoredInto}
            {r.restoredIntoSystem ? ` (${r.restoredIntoSystem.name})` : ""}
          </dd>
          <dt>Performed by</dt>
          <dd>
            {r.automated ? (
              <Badge tone="info">Attest, automated</Badge>
            ) : (
              (r.performedBy?.name ?? "")
            )}
          </dd>
          <dt>Recorded</dt>
          <dd>
            {formatDateTime(r.recordedAt)}
            {r.recordedBy ? ` by ${r.recordedBy.name}` : ""}
          </dd>
        </dl>
        {r.notes && <p className="restore-notes">{r.notes}</p>}
      </section>
      <section className="card section" aria-labelledby="checks-heading">
        <h2 className="section-title" id="checks-heading">
          Integrity checks
        </h2>
        {r.checks.length === 0 ? (
          <p className="muted">
            No integrity check was run: the backup's integrity is not verified.
          </p>
        ) : (
          <table className="table" aria-labelledby="checks-heading">
            <thead>
              <tr>
                <th scope="col">Check</th>
                <th scope="col">Result</th>
                <th scope="col">What it found</th>
              </tr>
            </thead>
            <tbody>
              {r.checks.map((c, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the checks' order is fixed
                <tr key={index}>
                  <td>{c.name}</td>
                  <td>
                    {c.passed ? (
                      <Badge tone="success">Passed</Badge>
                    ) : (
                      <Badge tone="danger">Failed</Badge>
                    )}
                  </td>
                  <td>{c.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <Evidence test={r} canManage={canManage} />
      <WithdrawDialog test={r} open={withdrawing} onClose={() => setWithdrawing(false)} />
    </>
  );
}
