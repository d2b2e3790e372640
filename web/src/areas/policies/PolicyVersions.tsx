// The version history: every version, its state, author, dates, approvals and PDF.

import { formatDate, formatDateTime, roleLabel } from "../../ui/format";
import type { Role } from "../../ui/schema";
import { policiesApi } from "./api";
import { VersionStatusBadge } from "./PolicyBadges";
import type { Policy, PolicyVersion } from "./types";

function Approvals({ version }: { version: PolicyVersion }) {
  if (version.approvals.length === 0) return null;
  return (
    <ul className="approval-list" aria-label={`Approvals of version ${version.version}`}>
      {version.approvals.map((approval) => (
        <li key={`${approval.kind}-${approval.approvedAt}`} className="approval">
          <span className="approval-kind">
            {approval.kind === "publication" ? "Approved for publication" : "Reviewed"}
          </span>{" "}
          by {approval.approver.name} ({roleLabel(approval.approverRole as Role)}) on{" "}
          <time dateTime={approval.approvedAt}>{formatDateTime(approval.approvedAt)}</time>
          {approval.comment && <q className="approval-comment">{approval.comment}</q>}
        </li>
      ))}
    </ul>
  );
}

function dates(version: PolicyVersion): string {
  const parts = [`Created ${formatDate(version.createdAt)}`];
  if (version.submittedAt && version.status === "submitted")
    parts.push(`submitted ${formatDate(version.submittedAt)}`);
  if (version.publishedAt) parts.push(`published ${formatDate(version.publishedAt)}`);
  if (version.supersededAt) parts.push(`superseded ${formatDate(version.supersededAt)}`);
  return parts.join(", ");
}

export function PolicyVersions({ policy }: { policy: Policy }) {
  return (
    <ol className="version-list">
      {policy.versions.map((version) => (
        <li key={version.id} className="version-item" data-version={version.version}>
          <div className="version-head">
            <h3 className="version-title">Version {version.version}</h3>
            <VersionStatusBadge status={version.status} />
            {version.body.trim() && (
              <a
                className="button button-ghost button-small version-pdf"
                href={policiesApi.policyPdfUrl(policy.id, version.id)}
                download
              >
                Download PDF<span className="visually-hidden"> of version {version.version}</span>
              </a>
            )}
          </div>
          <p className="version-meta">
            {dates(version)}
            {version.author && ` · by ${version.author.name}`}
          </p>
          {version.changeSummary && <p className="version-summary">{version.changeSummary}</p>}
          <Approvals version={version} />
        </li>
      ))}
    </ol>
  );
}
