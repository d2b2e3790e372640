// The evidence kept for a control: files and links, with their validity; add and delete.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { EmptyState } from "../../ui/EmptyState";
import { FormAlert } from "../../ui/FormAlert";
import { formatBytes, formatDate, formatDay } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { LoadError, Spinner } from "../../ui/Loading";
import { ConfirmDialog } from "../../ui/Modal";
import { keys } from "../../ui/queries";
import { Badge } from "../../ui/StatusBadge";
import type { Control } from "../../ui/schema";
import { useCan } from "../../ui/session";
import { evidenceApi } from "./api";
import { EvidenceDialog, type EvidenceDialogKind } from "./EvidenceDialogs";
import type { Evidence } from "./types";

function EvidenceTitle({ evidence }: { evidence: Evidence }) {
  if (evidence.kind === "link" && evidence.url) {
    return (
      <a href={evidence.url} target="_blank" rel="noopener noreferrer">
        {evidence.title}
        <span className="visually-hidden"> (opens in a new tab)</span>
      </a>
    );
  }
  return (
    <a href={evidenceApi.evidenceDownloadUrl(evidence.id)} download>
      {evidence.title}
      <span className="visually-hidden"> (download)</span>
    </a>
  );
}

function EvidenceItem({ evidence, onDelete }: { evidence: Evidence; onDelete?: () => void }) {
  const details = [
    evidence.kind === "file"
      ? `${evidence.fileName ?? "File"} · ${formatBytes(evidence.sizeBytes)}`
      : null,
    evidence.testKey ? `Test ${evidence.testKey}` : null,
    evidence.uploadedBy
      ? `Added by ${evidence.uploadedBy.name} on ${formatDate(evidence.createdAt)}`
      : `Added on ${formatDate(evidence.createdAt)}`,
  ].filter(Boolean);
  return (
    <li className="evidence-item" data-evidence-id={evidence.id}>
      <div className="evidence-main">
        <div className="evidence-head">
          <span className="evidence-title">
            <EvidenceTitle evidence={evidence} />
          </span>
          <Badge>{evidence.kind === "file" ? "File" : "Link"}</Badge>
          {evidence.valid ? (
            <Badge tone="success">Valid until {formatDay(evidence.validUntil)}</Badge>
          ) : (
            <Badge tone="warning">Expired {formatDay(evidence.validUntil)}</Badge>
          )}
        </div>
        {evidence.description && <p className="evidence-description">{evidence.description}</p>}
        <p className="evidence-meta">
          From {formatDay(evidence.evidenceDate)} · {details.join(" · ")}
        </p>
      </div>
      <div className="evidence-actions">
        {evidence.kind === "file" && (
          <a
            className="button button-ghost button-small"
            href={evidenceApi.evidenceDownloadUrl(evidence.id)}
            download
          >
            Download<span className="visually-hidden"> {evidence.title}</span>
          </a>
        )}
        {onDelete && (
          <button
            type="button"
            className="button button-ghost-danger button-small"
            onClick={onDelete}
          >
            Delete<span className="visually-hidden"> {evidence.title}</span>
          </button>
        )}
      </div>
    </li>
  );
}

export function EvidenceSection({ control }: { control: Control }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const manage = can("evidence.manage");
  const [dialog, setDialog] = useState<EvidenceDialogKind>(null);
  const [deleting, setDeleting] = useState<Evidence | null>(null);
  const evidence = useQuery({
    queryKey: keys.evidence(control.key),
    queryFn: () => evidenceApi.evidence(control.key),
  });
  const remove = useMutation({
    mutationFn: (item: Evidence) => evidenceApi.deleteEvidence(item.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.evidence(control.key) });
      void queryClient.invalidateQueries({ queryKey: keys.controls });
      void queryClient.invalidateQueries({ queryKey: keys.dashboard });
      setDeleting(null);
    },
  });

  return (
    <section className="card section" aria-labelledby="evidence-heading">
      <div className="section-heading-row">
        <div className="section-header">
          <h2 id="evidence-heading" className="section-title">
            Evidence
          </h2>
          <p className="section-description">
            Files and links that prove this control operates. Files are stored encrypted and checked
            against their checksum on download.
          </p>
        </div>
        {manage && (
          <div className="section-actions">
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => setDialog("upload")}
            >
              <Icon name="plus" />
              Upload file
            </button>
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => setDialog("link")}
            >
              <Icon name="plus" />
              Add link
            </button>
          </div>
        )}
      </div>
      {evidence.isPending && <Spinner label="Loading evidence" />}
      {evidence.isError && <LoadError error={evidence.error} onRetry={() => evidence.refetch()} />}
      {evidence.isSuccess && evidence.data.length === 0 && (
        <EmptyState icon="evidence" title="No evidence yet" headingLevel={3}>
          <p>
            {manage
              ? "Upload a file or add a link, such as a report, a screenshot or a ticket."
              : "Nobody has added evidence for this control yet."}
          </p>
        </EmptyState>
      )}
      {evidence.isSuccess && evidence.data.length > 0 && (
        <ul className="evidence-list">
          {evidence.data.map((item) => (
            <EvidenceItem
              key={item.id}
              evidence={item}
              onDelete={manage ? () => setDeleting(item) : undefined}
            />
          ))}
        </ul>
      )}
      {manage && (
        <>
          <EvidenceDialog kind={dialog} control={control} onClose={() => setDialog(null)} />
          <ConfirmDialog
            open={deleting !== null}
            title={`Delete “${deleting?.title ?? ""}”?`}
            confirmLabel="Delete evidence"
            pending={remove.isPending}
            error={<FormAlert error={remove.error} />}
            onConfirm={() => deleting && remove.mutate(deleting)}
            onClose={() => {
              remove.reset();
              setDeleting(null);
            }}
          >
            <p>It no longer counts for this control. The record is kept for the audit history.</p>
          </ConfirmDialog>
        </>
      )}
    </section>
  );
}
