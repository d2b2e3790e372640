// One finding: what and where, its deadline in words, its status history, comments and risk
// acceptances; assign, comment, mark false positive, reopen, ask to accept the risk.
import { type FormEvent, type ReactNode, useState } from "react";
import { Link, useParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { SelectField, TextAreaField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDate, formatDateTime } from "../../ui/format";
import { fieldErrorsOf } from "../../ui/forms";
import { ApiError } from "../../ui/http";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { useCan } from "../../ui/session";
import { AcceptanceList } from "./AcceptanceList";
import { ReasonDialog, RequestAcceptanceDialog } from "./FindingDialogs";
import { Deadline, SeverityBadge, StatusText } from "./findings.components";
import {
  type FindingDetail,
  findingsApi,
  STATUS_LABELS,
  useFinding,
  useFindingMutation,
  useTriagePeople,
} from "./findings.queries";

function BackLink() {
  return (
    <Link className="back-link" to="/vulnerabilities">
      <Icon name="arrowLeft" />
      All findings
    </Link>
  );
}

function Fact({ term, value }: { term: string; value: ReactNode }) {
  if (value === null || value === undefined || value === "") return null;
  return (
    <div>
      <dt>{term}</dt>
      <dd className="break">{value}</dd>
    </div>
  );
}

function Facts({ f }: { f: FindingDetail }) {
  return (
    <section className="card section" aria-labelledby="finding-heading">
      <h2 id="finding-heading" className="section-title">
        Details
      </h2>
      <dl className="facts">
        <Fact term="Status" value={<StatusText status={f.status} />} />
        <Fact term="Severity" value={<SeverityBadge severity={f.severity} />} />
        <Fact term="Deadline" value={<Deadline finding={f} />} />
        <Fact term="Due (severity's deadline)" value={formatDate(f.dueAt)} />
        <Fact term="System" value={<Link to={`/systems/${f.systemId}`}>{f.systemName}</Link>} />
        <Fact
          term="Source"
          value={
            f.source === "pentest" && f.pentestId ? (
              <Link to={`/pentests/${f.pentestId}`}>Pentest: {f.pentestName}</Link>
            ) : (
              f.tool
            )
          }
        />
        <Fact term="Identifiers" value={f.identifiers.join(", ")} />
        <Fact
          term="CVSS"
          value={f.cvssScore !== null ? `${f.cvssScore} ${f.cvssVector ?? ""}` : ""}
        />
        <Fact term="Rule" value={f.ruleId} />
        <Fact
          term="Package"
          value={f.packageName ? `${f.packageName} ${f.installedVersion ?? ""}` : ""}
        />
        <Fact term="Fixed in" value={f.fixedVersion} />
        <Fact term="File" value={f.filePath ? `${f.filePath}${f.line ? `:${f.line}` : ""}` : ""} />
        <Fact
          term="Reference"
          value={
            f.url ? (
              <a href={f.url} rel="noreferrer noopener" target="_blank">
                {f.url}
              </a>
            ) : (
              ""
            )
          }
        />
        <Fact term="First detected" value={formatDateTime(f.firstDetectedAt)} />
        <Fact term="Last detected" value={formatDateTime(f.lastDetectedAt)} />
        <Fact term="Resolved" value={f.resolvedAt ? formatDateTime(f.resolvedAt) : ""} />
        <Fact term="Fingerprint" value={<span className="mono">{f.fingerprint}</span>} />
      </dl>
      {f.description && (
        <details>
          <summary>Description</summary>
          <p className="break">{f.description}</p>
        </details>
      )}
    </section>
  );
}

function Assignee({ f, mayManage }: { f: FindingDetail; mayManage: boolean }) {
  const people = useTriagePeople();
  const assign = useFindingMutation((id: string) => findingsApi.assign(f.id, id || null));
  if (!mayManage) return <p>Assigned to {f.assigneeName ?? "nobody"}.</p>;
  return (
    <>
      <FormAlert error={assign.error} />
      <SelectField
        label="Assignee"
        value={f.assigneeId ?? ""}
        disabled={assign.isPending}
        onChange={(e) => assign.mutate(e.target.value)}
      >
        <option value="">Nobody</option>
        {(people.data?.items ?? []).map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
    </>
  );
}

function Comments({ f, mayManage }: { f: FindingDetail; mayManage: boolean }) {
  const [body, setBody] = useState("");
  const add = useFindingMutation(
    () => findingsApi.comment(f.id, body),
    () => setBody(""),
  );
  const errors = fieldErrorsOf(add.error);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    add.mutate(undefined);
  }
  return (
    <section className="card section" aria-labelledby="comments-heading">
      <h2 id="comments-heading" className="section-title">
        Comments
      </h2>
      {f.comments.length === 0 && <p className="muted">No comments yet.</p>}
      <ul className="plain-list">
        {f.comments.map((c) => (
          <li key={c.id}>
            <p className="break">{c.body}</p>
            <p className="muted">
              {c.author?.name ?? "Someone"}, {formatDateTime(c.createdAt)}
            </p>
          </li>
        ))}
      </ul>
      {mayManage && (
        <form className="form" onSubmit={onSubmit} aria-busy={add.isPending}>
          <FormAlert error={add.error} />
          <TextAreaField
            label="Add a comment"
            rows={2}
            required
            value={body}
            error={errors.body}
            onChange={(e) => setBody(e.target.value)}
          />
          <button type="submit" className="button button-secondary" disabled={add.isPending}>
            Comment
          </button>
        </form>
      )}
    </section>
  );
}

type Dialog = "false_positive" | "reopen" | "accept" | null;

export function FindingPage() {
  const { id = "" } = useParams();
  const can = useCan();
  const finding = useFinding(id);
  const [dialog, setDialog] = useState<Dialog>(null);
  if (finding.isPending) return <PageLoading label="Loading the finding" />;
  if (finding.isError) {
    const missing = finding.error instanceof ApiError && finding.error.status === 404;
    return (
      <>
        <BackLink />
        <PageHeader title={missing ? "Finding not found" : "Finding"} />
        {missing ? (
          <EmptyState icon="search" title="There is no such finding" />
        ) : (
          <LoadError error={finding.error} onRetry={() => finding.refetch()} />
        )}
      </>
    );
  }
  const f = finding.data;
  const mayManage = can("vulnerabilities.manage");
  const standing = f.acceptances.some((a) => a.status === "pending" || a.status === "approved");
  const counting = f.status === "open" || f.status === "risk_accepted";
  return (
    <>
      <BackLink />
      <PageHeader
        eyebrow={`${f.systemName} · ${STATUS_LABELS[f.status]}`}
        title={f.title}
        actions={
          mayManage && (
            <>
              {f.status === "open" && !standing && (
                <button
                  type="button"
                  className="button button-primary"
                  onClick={() => setDialog("accept")}
                >
                  Ask to accept the risk
                </button>
              )}
              {counting && (
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => setDialog("false_positive")}
                >
                  Mark false positive
                </button>
              )}
              {!counting && (
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => setDialog("reopen")}
                >
                  Reopen
                </button>
              )}
            </>
          )
        }
      />
      <Facts f={f} />
      <section className="card section" aria-labelledby="assignee-heading">
        <h2 id="assignee-heading" className="section-title">
          Who fixes it
        </h2>
        <Assignee f={f} mayManage={mayManage} />
      </section>
      <section className="card section" aria-labelledby="acceptances-heading">
        <h2 id="acceptances-heading" className="section-title">
          Risk acceptances
        </h2>
        {f.acceptances.length === 0 ? (
          <p className="muted">None asked for.</p>
        ) : (
          <AcceptanceList acceptances={f.acceptances} showFinding={false} />
        )}
      </section>
      <section className="card section" aria-labelledby="history-heading">
        <h2 id="history-heading" className="section-title">
          History
        </h2>
        <ol className="plain-list">
          {f.history.map((h) => (
            <li key={h.validFrom}>
              {STATUS_LABELS[h.status]} ({h.severity}) from {formatDateTime(h.validFrom)}
              {h.validTo ? ` until ${formatDateTime(h.validTo)}` : ""}
              {h.deadlineAt ? `; deadline ${formatDate(h.deadlineAt)}` : ""}
            </li>
          ))}
        </ol>
      </section>
      <Comments f={f} mayManage={mayManage} />
      {dialog === "accept" && (
        <RequestAcceptanceDialog findingId={f.id} onClose={() => setDialog(null)} />
      )}
      {dialog === "false_positive" && (
        <ReasonDialog
          title="Mark as a false positive?"
          explanation="It stops counting against its deadline. Say why it is not a vulnerability here."
          submit="Mark false positive"
          run={(reason) => findingsApi.falsePositive(f.id, reason)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === "reopen" && (
        <ReasonDialog
          title="Reopen the finding?"
          explanation="It counts against its original deadline again: the clock does not restart."
          submit="Reopen"
          run={(reason) => findingsApi.reopen(f.id, reason)}
          onClose={() => setDialog(null)}
        />
      )}
    </>
  );
}
