// The confidential reporting inbox: references, categories, states and deadlines (no report
// text is decrypted here), and the channel's settings: on or off, introduction, categories and,
// for owners, who handles reports.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { Callout } from "../../ui/Callout";
import { EmptyState } from "../../ui/EmptyState";
import { CheckboxField, SelectField, TextAreaField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime, plural, roleLabel } from "../../ui/format";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { LoadError, PageLoading, Spinner } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { Badge } from "../../ui/StatusBadge";
import type { Role } from "../../ui/schema";
import { useOutgoingMail } from "../monitoring/queries";
import { reportKeys, useReportingApi, useReportingChannel, useReports } from "./queries";
import { DeadlineBadge, ReportStateBadge } from "./ReportBadges";
import {
  categoryLabel,
  REPORT_CATEGORIES,
  REPORT_STATES,
  type ReportCategory,
  type ReportFilter,
  type ReportingChannel,
  type ReportSummary,
} from "./types";
import "../../styles/reporting.css";

function Inbox() {
  const [filter, setFilter] = useState<ReportFilter>("open");
  const reports = useReports(filter);
  const items = reports.data ?? [];
  const emailed = useOutgoingMail(true).data?.configured;
  return (
    <section className="card section" aria-labelledby="inbox-heading">
      <div className="section-header report-inbox-header">
        <div>
          <h2 id="inbox-heading" className="section-title">
            Inbox
          </h2>
          <p className="section-description">
            Opening a report decrypts it and is recorded in the audit log.
          </p>
        </div>
        <SelectField
          label="Show"
          value={filter}
          onChange={(event) => setFilter(event.target.value as ReportFilter)}
        >
          <option value="open">Open reports</option>
          <option value="">All reports</option>
          {REPORT_STATES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </SelectField>
      </div>
      {reports.isPending && <Spinner label="Loading reports" />}
      {reports.isError && <LoadError error={reports.error} onRetry={() => reports.refetch()} />}
      {reports.isSuccess && items.length === 0 && (
        <EmptyState icon="info" title="No reports here" headingLevel={3}>
          Reports sent on the trust center's form arrive here
          {emailed === true && "; the handlers are emailed."}
          {emailed === false && ". Outgoing mail is off, so handlers are not emailed: check here."}
          {emailed === undefined && "."}
        </EmptyState>
      )}
      {reports.isSuccess && items.length > 0 && (
        <>
          <p className="result-count">{plural(items.length, "report")}</p>
          <ReportTable reports={items} />
        </>
      )}
    </section>
  );
}

function ReportTable({ reports }: { reports: ReportSummary[] }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label="Reports" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Report</th>
            <th scope="col">State</th>
            <th scope="col">Received</th>
            <th scope="col">Acknowledgement</th>
            <th scope="col">Feedback</th>
          </tr>
        </thead>
        <tbody>
          {reports.map((report) => (
            <tr key={report.id} data-report-id={report.id}>
              <td>
                <div className="cell-primary">
                  <Link className="report-ref" to={`/reports/${report.id}`}>
                    {report.reference}
                  </Link>
                </div>
                <div className="cell-secondary">{categoryLabel(report.category)}</div>
              </td>
              <td>
                <div className="report-state-cell">
                  <ReportStateBadge state={report.state} />
                  {report.awaitingReply && <Badge tone="info">Reporter replied</Badge>}
                </div>
              </td>
              <td>{formatDateTime(report.receivedAt)}</td>
              <td>
                <DeadlineBadge deadline={report.acknowledgement} />
              </td>
              <td>
                <DeadlineBadge deadline={report.feedback} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ChannelSettings({ channel }: { channel: ReportingChannel }) {
  const api = useReportingApi();
  const client = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [enabled, setEnabled] = useState(channel.enabled);
  const [intro, setIntro] = useState(channel.intro);
  const [categories, setCategories] = useState<ReportCategory[]>(channel.categories);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    setEnabled(channel.enabled);
    setIntro(channel.intro);
    setCategories(channel.categories);
  }, [channel]);
  const save = useMutation({
    mutationFn: () => api.updateChannel({ enabled, intro, categories }),
    onSuccess: (next) => {
      client.setQueryData(reportKeys.channel, next);
      setSaved(true);
    },
  });
  useFocusFirstInvalid(formRef, save.error);
  const errors = fieldErrorsOf(save.error);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  }
  function toggle(category: ReportCategory, on: boolean) {
    setSaved(false);
    setCategories((current) =>
      on ? [...new Set([...current, category])] : current.filter((c) => c !== category),
    );
  }
  return (
    <section className="card section" aria-labelledby="channel-heading">
      <div className="section-header">
        <h2 id="channel-heading" className="section-title">
          Channel
        </h2>
        <p className="section-description">
          The form at /trust/report, linked from the published trust center. Deadlines: acknowledge
          within {channel.acknowledgeDays} days, give feedback within {channel.feedbackDays} days
          (organization settings).
        </p>
      </div>
      <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={save.isPending}>
        <FormAlert error={save.error} />
        <CheckboxField
          label="Take reports"
          hint="When off, the form is closed and the trust center does not link to it."
          checked={enabled}
          onChange={(event) => {
            setSaved(false);
            setEnabled(event.target.checked);
          }}
        />
        <TextAreaField
          label="Introduction"
          hint="Shown above the form. Leave empty for the default text."
          rows={4}
          maxLength={4000}
          value={intro}
          error={errors.intro}
          onChange={(event) => {
            setSaved(false);
            setIntro(event.target.value);
          }}
        />
        <fieldset
          className="report-categories"
          aria-describedby={errors.categories ? "categories-error" : undefined}
        >
          <legend className="field-label">Categories offered</legend>
          {REPORT_CATEGORIES.map((c) => (
            <CheckboxField
              key={c.value}
              label={c.label}
              checked={categories.includes(c.value)}
              onChange={(event) => toggle(c.value, event.target.checked)}
            />
          ))}
          {errors.categories && (
            <p className="field-error" id="categories-error">
              {errors.categories}
            </p>
          )}
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save channel"}
          </button>
          {saved && (
            <span className="report-saved" role="status">
              Saved.
            </span>
          )}
        </div>
      </form>
    </section>
  );
}

function Handlers({ channel }: { channel: ReportingChannel }) {
  const api = useReportingApi();
  const client = useQueryClient();
  const emailed = useOutgoingMail(true).data?.configured;
  const [chosen, setChosen] = useState<string[]>(
    channel.handlersDesignated ? channel.handlers.map((h) => h.userId) : [],
  );
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () => api.designate(chosen),
    onSuccess: (next) => {
      client.setQueryData(reportKeys.channel, next);
      void client.invalidateQueries({ queryKey: reportKeys.all });
      setSaved(true);
    },
  });
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  }
  return (
    <section className="card section" aria-labelledby="handlers-heading">
      <div className="section-header">
        <h2 id="handlers-heading" className="section-title">
          Handlers
        </h2>
        <p className="section-description">
          Only handlers read reports
          {emailed === true && ", and they are emailed when one arrives or a reporter replies."}
          {emailed === false &&
            ". Outgoing mail is off, so they are not emailed when one arrives or a reporter replies."}
          {emailed === undefined && "."}
          {channel.handlersDesignated ? "" : " Nobody is designated, so the owners handle reports."}
        </p>
      </div>
      <ul className="report-handler-list" aria-label="Current handlers">
        {channel.handlers.map((h) => (
          <li key={h.userId}>
            {h.name} <span className="muted">({h.email})</span>
          </li>
        ))}
      </ul>
      {channel.youMayDesignate ? (
        <form className="form" onSubmit={onSubmit} aria-busy={save.isPending}>
          <FormAlert error={save.error} />
          <fieldset className="report-categories">
            <legend className="field-label">Designated handlers (owners and admins)</legend>
            {channel.eligible.map((user) => (
              <CheckboxField
                key={user.userId}
                label={`${user.name} · ${roleLabel(user.role as Role)}`}
                hint={user.email}
                checked={chosen.includes(user.userId)}
                onChange={(event) => {
                  setSaved(false);
                  setChosen((current) =>
                    event.target.checked
                      ? [...current, user.userId]
                      : current.filter((id) => id !== user.userId),
                  );
                }}
              />
            ))}
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={save.isPending}>
              {save.isPending ? "Saving…" : "Save handlers"}
            </button>
            {saved && (
              <span className="report-saved" role="status">
                Saved.
              </span>
            )}
          </div>
        </form>
      ) : (
        <p className="muted">Owners choose the handlers.</p>
      )}
    </section>
  );
}

export function ReportsPage() {
  const channel = useReportingChannel();
  return (
    <>
      <PageHeader
        title="Confidential reports"
        description="Concerns reported on the trust center, anonymously or not. Acknowledge each within the deadline, answer the reporter, and close it with an outcome they can read."
      />
      {channel.isPending && <PageLoading label="Loading the reporting channel" />}
      {channel.isError && <LoadError error={channel.error} onRetry={() => channel.refetch()} />}
      {channel.data && (
        <div className="report-stack">
          {channel.data.youAreHandler ? (
            <Inbox />
          ) : (
            <Callout tone="warning" title="You are not a designated handler">
              <p>
                Only the designated handlers read confidential reports
                {channel.data.handlersDesignated
                  ? ""
                  : " (while nobody is designated, the owners do)"}
                .{" "}
                {channel.data.youMayDesignate
                  ? "You can designate yourself under Handlers."
                  : "Ask an owner to designate you if you should handle them."}
              </p>
            </Callout>
          )}
          <div className="report-settings">
            {(channel.data.youAreHandler || channel.data.youMayDesignate) && (
              <ChannelSettings channel={channel.data} />
            )}
            <Handlers channel={channel.data} />
          </div>
        </div>
      )}
    </>
  );
}
