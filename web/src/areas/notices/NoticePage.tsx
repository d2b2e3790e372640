// One notice: edit the draft with a live preview and publish it; once published, post dated
// updates and resolve it; delivery to subscribers at a glance. Read-only without notices.manage.
import { type FormEvent, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { SelectField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime } from "../../ui/format";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { ApiError } from "../../ui/http";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { PolicyHtml } from "../../ui/PolicyHtml";
import { useCan } from "../../ui/session";
import { NoticeStatusBadge, SeverityBadge } from "./NoticeBadges";
import { DraftEditor, PostUpdate, ResolveDialog } from "./NoticeEditors";
import { useNotice, useNoticeMutation, useNoticesApi } from "./queries";
import { KINDS, type Notice, SEVERITIES } from "./types";
import "../../styles/notices.css";

function BackLink() {
  return (
    <Link className="back-link" to="/notices">
      <Icon name="arrowLeft" />
      All notices
    </Link>
  );
}

function Facts({ notice }: { notice: Notice }) {
  const kind = KINDS.find((k) => k.value === notice.kind)?.label ?? notice.kind;
  return (
    <dl className="facts">
      <div>
        <dt>Severity</dt>
        <dd>
          <SeverityBadge severity={notice.severity} />
        </dd>
      </div>
      <div>
        <dt>Kind</dt>
        <dd>{kind}</dd>
      </div>
      <div>
        <dt>Affected services</dt>
        <dd>{notice.affectedServices.length ? notice.affectedServices.join(", ") : "—"}</dd>
      </div>
      <div>
        <dt>Written by</dt>
        <dd>{notice.author?.name ?? "—"}</dd>
      </div>
      <div>
        <dt>Published</dt>
        <dd>{formatDateTime(notice.publishedAt)}</dd>
      </div>
      {notice.resolvedAt && (
        <div>
          <dt>Resolved</dt>
          <dd>{formatDateTime(notice.resolvedAt)}</dd>
        </div>
      )}
      {notice.incidentId && (
        <div>
          <dt>Incident</dt>
          <dd>
            {/* issue 14: incidents */}
            <Link to={`/incidents/${notice.incidentId}`}>The incident this notice is about</Link>
          </dd>
        </div>
      )}
    </dl>
  );
}

/** Once published, the words stay; severity and affected services may still change. */
function PublishedDetailsForm({ notice }: { notice: Notice }) {
  const api = useNoticesApi();
  const formRef = useRef<HTMLFormElement>(null);
  const [severity, setSeverity] = useState(notice.severity);
  const [services, setServices] = useState(notice.affectedServices.join(", "));
  const [saved, setSaved] = useState(false);
  const save = useNoticeMutation(() =>
    api.update(notice.id, {
      severity,
      affectedServices: services
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    }),
  );
  useFocusFirstInvalid(formRef, save.error);
  const errors = fieldErrorsOf(save.error);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    save.mutate(undefined, { onSuccess: () => setSaved(true) });
  }
  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={save.isPending}>
      <FormAlert error={save.error} />
      <SelectField
        label="Severity"
        value={severity}
        onChange={(e) => {
          setSeverity(e.target.value as Notice["severity"]);
          setSaved(false);
        }}
        error={errors.severity}
      >
        {SEVERITIES.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Affected services"
        hint="Separate services with commas."
        value={services}
        onChange={(e) => {
          setServices(e.target.value);
          setSaved(false);
        }}
        error={errors.affectedServices}
      />
      <div className="form-actions">
        <button type="submit" className="button button-secondary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save details"}
        </button>
        <span className="notice-saved" aria-live="polite">
          {saved ? "Saved." : ""}
        </span>
      </div>
    </form>
  );
}

function Deliveries({ notice }: { notice: Notice }) {
  const d = notice.deliveries;
  return (
    <dl className="facts notice-deliveries">
      <div>
        <dt>Sent</dt>
        <dd>{d.sent}</dd>
      </div>
      <div>
        <dt>Waiting to be sent</dt>
        <dd>{d.pending}</dd>
      </div>
      <div>
        <dt>Failed</dt>
        <dd>{d.failed}</dd>
      </div>
      <div>
        <dt>Not sent (unsubscribed)</dt>
        <dd>{d.skipped}</dd>
      </div>
    </dl>
  );
}

function NoticeDetail({ notice }: { notice: Notice }) {
  const can = useCan();
  const manage = can("notices.manage");
  const [resolving, setResolving] = useState(false);
  const severity = SEVERITIES.find((s) => s.value === notice.severity)?.label;
  return (
    <>
      <BackLink />
      <PageHeader
        title={notice.title}
        eyebrow={
          <span className="badge-row">
            <NoticeStatusBadge status={notice.status} />
            <SeverityBadge severity={notice.severity} />
          </span>
        }
        actions={
          <>
            {notice.status !== "draft" && (
              <a className="button button-secondary" href={`/trust/notices/${notice.id}`}>
                Public page
              </a>
            )}
            {manage && notice.status === "published" && (
              <button
                type="button"
                className="button button-primary"
                onClick={() => setResolving(true)}
              >
                Resolve…
              </button>
            )}
          </>
        }
      />
      <div className="notice-layout">
        <div className="notice-main">
          {manage && notice.status === "draft" ? (
            <DraftEditor key={notice.id} notice={notice} />
          ) : (
            <section className="card section" aria-labelledby="text-heading">
              <h2 id="text-heading" className="section-title">
                {notice.status === "draft" ? "Draft text" : "Published text"}
              </h2>
              <PolicyHtml html={notice.html} label={`${notice.title} (${severity})`} />
            </section>
          )}
          {notice.updates.length > 0 && (
            <section className="card section" aria-labelledby="updates-heading">
              <h2 id="updates-heading" className="section-title">
                Updates
              </h2>
              <ol className="notice-updates">
                {notice.updates.map((u) => (
                  <li key={u.id} className="notice-update">
                    <p className="notice-update-meta">
                      {formatDateTime(u.createdAt)}
                      {u.author && ` · ${u.author.name}`}
                      {u.notifySubscribers && " · mailed to subscribers"}
                    </p>
                    <PolicyHtml html={u.html} label={`Update of ${formatDateTime(u.createdAt)}`} />
                  </li>
                ))}
              </ol>
            </section>
          )}
          {manage && notice.status === "published" && <PostUpdate notice={notice} />}
        </div>
        <aside className="notice-side" aria-label="Notice details">
          <section className="card section" aria-labelledby="facts-heading">
            <h2 id="facts-heading" className="section-title">
              Details
            </h2>
            <Facts notice={notice} />
          </section>
          {manage && notice.status === "published" && (
            <section className="card section" aria-labelledby="change-heading">
              <h2 id="change-heading" className="section-title">
                Change details
              </h2>
              <PublishedDetailsForm key={notice.id} notice={notice} />
            </section>
          )}
          {notice.status !== "draft" && (
            <section className="card section" aria-labelledby="delivery-heading">
              <h2 id="delivery-heading" className="section-title">
                Mail to subscribers
              </h2>
              <Deliveries notice={notice} />
            </section>
          )}
        </aside>
      </div>
      {resolving && (
        <ResolveDialog notice={notice} open={resolving} onClose={() => setResolving(false)} />
      )}
    </>
  );
}

export function NoticePage() {
  const { id = "" } = useParams();
  const notice = useNotice(id);
  if (notice.isPending) return <PageLoading label="Loading notice" />;
  if (notice.isError) {
    const missing =
      notice.error instanceof ApiError &&
      (notice.error.status === 404 || notice.error.status === 400);
    return (
      <>
        <BackLink />
        <PageHeader title={missing ? "Notice not found" : "Notice"} />
        {missing ? (
          <EmptyState icon="search" title="There is no such notice" />
        ) : (
          <LoadError error={notice.error} onRetry={() => notice.refetch()} />
        )}
      </>
    );
  }
  return <NoticeDetail notice={notice.data} />;
}
