// One confidential report, decrypted (the read is audited): what was reported, contact details
// if the reporter gave them, the thread with the reporter, a reply box, and the state changes
// (closing asks for the outcome the reporter will read).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { Callout } from "../../ui/Callout";
import { TextAreaField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime } from "../../ui/format";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { ApiError } from "../../ui/http";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { Modal } from "../../ui/Modal";
import { PageHeader } from "../../ui/PageHeader";
// issue 14: incidents
import { DeclareFromReport } from "../incidents/DeclareFromReport";
import { reportKeys, useReport, useReportingApi } from "./queries";
import { DeadlineBadge, ReportStateBadge } from "./ReportBadges";
import { categoryLabel, type Report, type ReportState } from "./types";
import "../../styles/reporting.css";

function BackLink() {
  return (
    <Link className="back-link" to="/reports">
      <Icon name="arrowLeft" />
      All reports
    </Link>
  );
}

function useRefresh(id: string) {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: reportKeys.one(id) });
    void client.invalidateQueries({ queryKey: ["reports", "list"] });
  };
}

function Thread({ report }: { report: Report }) {
  const api = useReportingApi();
  const refresh = useRefresh(report.id);
  const formRef = useRef<HTMLFormElement>(null);
  const [body, setBody] = useState("");
  const send = useMutation({
    mutationFn: () => api.reply(report.id, body),
    onSuccess: () => {
      setBody("");
      refresh();
    },
  });
  useFocusFirstInvalid(formRef, send.error);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    send.mutate();
  }
  return (
    <section className="card section" aria-labelledby="thread-heading">
      <h2 id="thread-heading" className="section-title">
        Messages with the reporter
      </h2>
      {report.messages.length === 0 ? (
        <p className="muted">
          No messages yet. The reporter reads your messages with their follow-up key; your first
          message acknowledges the report.
        </p>
      ) : (
        <ol className="report-thread">
          {report.messages.map((m) => (
            <li key={m.id} className={`report-message report-message-${m.author}`}>
              <p className="report-message-meta">
                {m.author === "handler" ? (m.authorName ?? "A handler") : "Reporter"} ·{" "}
                {formatDateTime(m.createdAt)}
              </p>
              <p className="report-text">{m.body}</p>
            </li>
          ))}
        </ol>
      )}
      {report.state === "closed" ? (
        <p className="muted">The report is closed; the thread takes no more messages.</p>
      ) : (
        <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={send.isPending}>
          <FormAlert error={send.error} />
          <TextAreaField
            label="Reply to the reporter"
            hint="The reporter sees it on the follow-up page. Your name is not shown to them."
            name="body"
            rows={5}
            maxLength={20000}
            required
            value={body}
            error={fieldErrorsOf(send.error).body}
            onChange={(event) => setBody(event.target.value)}
          />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={send.isPending}>
              {send.isPending ? "Sending…" : "Send to reporter"}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function StateActions({ report }: { report: Report }) {
  const api = useReportingApi();
  const refresh = useRefresh(report.id);
  const [closing, setClosing] = useState(false);
  const [outcome, setOutcome] = useState("");
  const formRef = useRef<HTMLFormElement>(null);
  // The button pressed goes away with the state it offered: focus moves to the section's
  // heading once the new state shows, rather than to <body>.
  const heading = useRef<HTMLHeadingElement>(null);
  const changedFrom = useRef<ReportState | null>(null);
  useEffect(() => {
    if (changedFrom.current && changedFrom.current !== report.state) {
      changedFrom.current = null;
      heading.current?.focus();
    }
  }, [report.state]);
  const change = useMutation({
    mutationFn: (input: { state: Exclude<ReportState, "received">; outcome?: string }) =>
      api.changeState(report.id, input.state, input.outcome),
    onSuccess: () => {
      changedFrom.current = report.state;
      setClosing(false);
      setOutcome("");
      refresh();
    },
  });
  useFocusFirstInvalid(formRef, closing ? change.error : null);
  if (report.state === "closed") return null;
  function onClose(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    change.mutate({ state: "closed", outcome });
  }
  return (
    <section className="card section" aria-labelledby="state-heading">
      <h2 id="state-heading" className="section-title" tabIndex={-1} ref={heading}>
        Handling
      </h2>
      {!closing && <FormAlert error={change.error} />}
      <div className="report-actions">
        {report.state === "received" && (
          <button
            type="button"
            className="button button-secondary"
            disabled={change.isPending}
            onClick={() => change.mutate({ state: "acknowledged" })}
          >
            Mark acknowledged
          </button>
        )}
        {(report.state === "received" || report.state === "acknowledged") && (
          <button
            type="button"
            className="button button-secondary"
            disabled={change.isPending}
            onClick={() => change.mutate({ state: "investigating" })}
          >
            Start investigating
          </button>
        )}
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            change.reset();
            setClosing(true);
          }}
        >
          Close with outcome…
        </button>
      </div>
      <Modal
        open={closing}
        title={`Close ${report.reference}`}
        description="The reporter reads the outcome on the follow-up page. A closed report cannot be reopened."
        onClose={() => setClosing(false)}
      >
        <form ref={formRef} className="form" onSubmit={onClose} aria-busy={change.isPending}>
          <div className="modal-body">
            <FormAlert error={change.error} />
            <TextAreaField
              label="Outcome"
              name="outcome"
              rows={5}
              required
              value={outcome}
              error={fieldErrorsOf(change.error).outcome}
              onChange={(event) => setOutcome(event.target.value)}
            />
          </div>
          <div className="modal-footer">
            <button
              type="button"
              className="button button-secondary"
              onClick={() => setClosing(false)}
            >
              Cancel
            </button>
            <button type="submit" className="button button-primary" disabled={change.isPending}>
              {change.isPending ? "Closing…" : "Close report"}
            </button>
          </div>
        </form>
      </Modal>
    </section>
  );
}

function ReportView({ report }: { report: Report }) {
  // Closing removes the handling buttons: focus goes to the outcome that replaces them.
  const hadOutcome = useRef(Boolean(report.outcome));
  const outcomeHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (report.outcome && !hadOutcome.current) {
      hadOutcome.current = true;
      outcomeHeading.current?.focus();
    }
  }, [report.outcome]);
  return (
    <div className="report-layout">
      <div className="report-main">
        <section className="card section" aria-labelledby="report-subject">
          <h2 id="report-subject" className="section-title">
            {report.subject}
          </h2>
          <p className="report-text">{report.details}</p>
        </section>
        {report.outcome && (
          <section className="card section" aria-labelledby="outcome-heading">
            <h2 id="outcome-heading" className="section-title" tabIndex={-1} ref={outcomeHeading}>
              Outcome
            </h2>
            <p className="report-text">{report.outcome}</p>
          </section>
        )}
        <Thread report={report} />
      </div>
      <div className="report-side">
        <section className="card section" aria-labelledby="facts-heading">
          <h2 id="facts-heading" className="section-title">
            Details
          </h2>
          <dl className="report-facts">
            <dt>State</dt>
            <dd>
              <ReportStateBadge state={report.state} />
            </dd>
            <dt>Category</dt>
            <dd>{categoryLabel(report.category)}</dd>
            <dt>Received</dt>
            <dd>{formatDateTime(report.receivedAt)}</dd>
            <dt>Acknowledgement</dt>
            <dd>
              <DeadlineBadge deadline={report.acknowledgement} />
            </dd>
            <dt>Feedback</dt>
            <dd>
              <DeadlineBadge deadline={report.feedback} />
            </dd>
          </dl>
        </section>
        <section className="card section" aria-labelledby="contact-heading">
          <h2 id="contact-heading" className="section-title">
            Reporter
          </h2>
          {report.contact ? (
            <dl className="report-facts">
              {report.contact.name && (
                <>
                  <dt>Name</dt>
                  <dd>{report.contact.name}</dd>
                </>
              )}
              {report.contact.email && (
                <>
                  <dt>Email</dt>
                  <dd>
                    <a href={`mailto:${report.contact.email}`}>{report.contact.email}</a>
                  </dd>
                </>
              )}
              {report.contact.phone && (
                <>
                  <dt>Phone</dt>
                  <dd>{report.contact.phone}</dd>
                </>
              )}
            </dl>
          ) : (
            <p className="muted">
              Anonymous: no contact details. Write to the reporter through the messages; they read
              them with their follow-up key.
            </p>
          )}
        </section>
        <StateActions report={report} />
        {/* issue 14: incidents */}
        <DeclareFromReport reportId={report.id} subject={report.subject} />
      </div>
    </div>
  );
}

export function ReportPage() {
  const { id = "" } = useParams();
  const report = useReport(id);
  const forbidden = report.error instanceof ApiError && report.error.status === 403;
  const missing = report.error instanceof ApiError && report.error.status === 404;
  return (
    <>
      <BackLink />
      <PageHeader
        title={report.data ? `Report ${report.data.reference}` : "Report"}
        eyebrow="Confidential report"
        description={
          report.data ? "You opened this report; the read is recorded in the audit log." : undefined
        }
      />
      {report.isPending && <PageLoading label="Decrypting the report" />}
      {forbidden && (
        <Callout tone="warning" title="You are not a designated handler" role="alert">
          <p>{(report.error as ApiError).message}</p>
        </Callout>
      )}
      {missing && (
        <Callout tone="warning" title="No such report" role="alert">
          <p>This report does not exist.</p>
        </Callout>
      )}
      {report.isError && !forbidden && !missing && (
        <LoadError error={report.error} onRetry={() => report.refetch()} />
      )}
      {report.data && <ReportView report={report.data} />}
    </>
  );
}
