// Notices to external parties: the list with filters, a new notice, and the email subscribers.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { SelectField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDate, formatDateTime, plural } from "../../ui/format";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading, Spinner } from "../../ui/Loading";
import { ConfirmDialog, Modal } from "../../ui/Modal";
import { PageHeader } from "../../ui/PageHeader";
import { useCan } from "../../ui/session";
import { NoticeStatusBadge, SeverityBadge, SubscriberStatusBadge } from "./NoticeBadges";
import { draftOf, inputOf, NoticeFields } from "./NoticeForm";
import { noticeKeys, useNotices, useNoticesApi, useSubscribers } from "./queries";
import { KINDS, type NoticeFilter, type NoticeSummary, SEVERITIES, type Subscriber } from "./types";
import "../../styles/notices.css";
import { useOutgoingMail } from "../monitoring/queries";

function NewNoticeDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const api = useNoticesApi();
  const navigate = useNavigate();
  const client = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState(draftOf());
  const create = useMutation({
    mutationFn: () => api.create(inputOf(draft)),
    onSuccess: (notice) => {
      client.setQueryData(noticeKeys.one(notice.id), notice);
      void client.invalidateQueries({ queryKey: ["notices", "list"] });
      navigate(`/notices/${notice.id}`);
    },
  });
  useFocusFirstInvalid(formRef, create.error);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <Modal
      open={open}
      title="New notice"
      description="Starts as a draft: nothing is public until you publish it."
      onClose={onClose}
    >
      <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={create.isPending}>
        <div className="modal-body">
          <FormAlert error={create.error} />
          <NoticeFields
            value={draft}
            onChange={setDraft}
            errors={fieldErrorsOf(create.error)}
            preview={false}
          />
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? "Saving…" : "Save draft"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function NoticeTable({ notices }: { notices: NoticeSummary[] }) {
  const kindLabel = (kind: string) => KINDS.find((k) => k.value === kind)?.label ?? kind;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label="Notice list" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Notice</th>
            <th scope="col">Severity</th>
            <th scope="col">Status</th>
            <th scope="col">Published</th>
          </tr>
        </thead>
        <tbody>
          {notices.map((notice) => (
            <tr key={notice.id} data-notice-id={notice.id}>
              <td>
                <div className="cell-primary">
                  <Link to={`/notices/${notice.id}`}>{notice.title}</Link>
                </div>
                <div className="cell-secondary">
                  {kindLabel(notice.kind)}
                  {notice.affectedServices.length > 0 && ` · ${notice.affectedServices.join(", ")}`}
                </div>
              </td>
              <td>
                <SeverityBadge severity={notice.severity} />
              </td>
              <td>
                <NoticeStatusBadge status={notice.status} />
              </td>
              <td>
                {notice.publishedAt ? (
                  formatDate(notice.publishedAt)
                ) : (
                  <span className="muted">Not published</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Subscribers() {
  const api = useNoticesApi();
  const client = useQueryClient();
  const subscribers = useSubscribers(true);
  const [removing, setRemoving] = useState<Subscriber | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => api.removeSubscriber(id),
    onSuccess: () => {
      setRemoving(null);
      void client.invalidateQueries({ queryKey: noticeKeys.subscribers });
    },
  });
  const all = subscribers.data ?? [];
  const confirmed = all.filter((s) => s.status === "confirmed").length;
  return (
    <section className="card section" aria-labelledby="subscribers-heading">
      <div className="section-header">
        <h2 id="subscribers-heading" className="section-title">
          Email subscribers
        </h2>
        <p className="section-description">
          People who subscribed on the trust center. Only confirmed addresses receive notices; every
          mail carries a one-click unsubscribe link.
        </p>
      </div>
      {subscribers.isPending && <Spinner label="Loading subscribers" />}
      {subscribers.isError && (
        <LoadError error={subscribers.error} onRetry={() => subscribers.refetch()} />
      )}
      {subscribers.isSuccess && all.length === 0 && (
        <p className="muted">Nobody has subscribed yet.</p>
      )}
      {subscribers.isSuccess && all.length > 0 && (
        <>
          <p className="result-count">
            {plural(confirmed, "confirmed subscriber", "confirmed subscribers")} of {all.length}
          </p>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard */}
          <section className="table-wrap" tabIndex={0} aria-label="Subscribers">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Status</th>
                  <th scope="col">Since</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {all.map((s) => (
                  <tr key={s.id}>
                    <td>{s.email}</td>
                    <td>
                      <SubscriberStatusBadge status={s.status} />
                    </td>
                    <td>
                      {formatDateTime(
                        s.status === "confirmed"
                          ? s.confirmedAt
                          : s.status === "unsubscribed"
                            ? s.unsubscribedAt
                            : s.createdAt,
                      )}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="button button-ghost-danger button-small"
                        onClick={() => {
                          remove.reset();
                          setRemoving(s);
                        }}
                      >
                        Remove<span className="visually-hidden"> {s.email}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
      <ConfirmDialog
        open={removing !== null}
        title="Remove subscriber"
        confirmLabel="Remove"
        pending={remove.isPending}
        error={remove.error ? <FormAlert error={remove.error} /> : null}
        onConfirm={() => removing && remove.mutate(removing.id)}
        onClose={() => setRemoving(null)}
      >
        <p>
          {removing?.email} will receive no more notices, and their mail still queued is dropped.
          They can subscribe again on the trust center.
        </p>
      </ConfirmDialog>
    </section>
  );
}

export function NoticesPage() {
  const can = useCan();
  const [filter, setFilter] = useState<NoticeFilter>({ status: "", severity: "" });
  const [creating, setCreating] = useState(false);
  const notices = useNotices(filter);
  const filtered = Boolean(filter.status || filter.severity);
  const all = notices.data ?? [];
  const emailed = useOutgoingMail(can("notices.manage")).data?.configured;

  return (
    <>
      <PageHeader
        title="Notices"
        description={`Security notices, incidents, maintenance and other critical information for customers and the public: shown on the trust center and in its Atom feed${
          emailed === false
            ? ". Outgoing mail is off, so nobody is mailed and the trust center offers no subscription."
            : emailed
              ? ", and mailed to subscribers."
              : ", and mailed to subscribers when outgoing mail is on."
        }`}
        actions={
          <>
            <a className="button button-secondary" href="/trust/notices">
              Public page
            </a>
            {can("notices.manage") && (
              <button
                type="button"
                className="button button-primary"
                onClick={() => setCreating(true)}
              >
                <Icon name="plus" />
                New notice
              </button>
            )}
          </>
        }
      />
      <div className="list-toolbar notice-filters">
        <SelectField
          label="Status"
          value={filter.status ?? ""}
          onChange={(e) =>
            setFilter({ ...filter, status: e.target.value as NoticeFilter["status"] })
          }
        >
          <option value="">All</option>
          <option value="draft">Draft</option>
          <option value="published">Published</option>
          <option value="resolved">Resolved</option>
        </SelectField>
        <SelectField
          label="Severity"
          value={filter.severity ?? ""}
          onChange={(e) =>
            setFilter({ ...filter, severity: e.target.value as NoticeFilter["severity"] })
          }
        >
          <option value="">All</option>
          {SEVERITIES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </SelectField>
      </div>
      {notices.isPending && <PageLoading label="Loading notices" />}
      {notices.isError && <LoadError error={notices.error} onRetry={() => notices.refetch()} />}
      {notices.isSuccess && all.length === 0 && (
        <EmptyState icon="notices" title={filtered ? "No notices match" : "No notices yet"}>
          <p>
            {filtered
              ? "Change the filters to see other notices."
              : "Write a notice when customers need to know about a security issue, an incident or planned maintenance."}
          </p>
        </EmptyState>
      )}
      {notices.isSuccess && all.length > 0 && (
        <>
          <p className="result-count">{plural(all.length, "notice", "notices")}</p>
          <NoticeTable notices={all} />
        </>
      )}
      {can("notices.manage") && <Subscribers />}
      {creating && <NewNoticeDialog open={creating} onClose={() => setCreating(false)} />}
    </>
  );
}
