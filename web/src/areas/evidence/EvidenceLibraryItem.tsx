// One row of the evidence library: what it is (opened or downloaded as on the control page),
// the control and test it proves, its dates, its validity in words, and who added it.
import { Link } from "react-router";
import { formatBytes, formatDate, formatDay } from "../../ui/format";
import { Badge } from "../../ui/StatusBadge";
import { evidenceApi } from "./api";
import { type LibraryItem, VALIDITIES } from "./types";

function urlHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function ItemTitle({ item }: { item: LibraryItem }) {
  if (item.kind === "link" && item.url) {
    return (
      <a href={item.url} target="_blank" rel="noopener noreferrer">
        {item.title}
        <span className="visually-hidden"> (link, opens in a new tab)</span>
      </a>
    );
  }
  return (
    <a href={evidenceApi.evidenceDownloadUrl(item.id)} download>
      {item.title}
      <span className="visually-hidden"> (download file)</span>
    </a>
  );
}

function ValidityBadge({ item }: { item: LibraryItem }) {
  const validity = VALIDITIES.find((v) => v.value === item.validity);
  return <Badge tone={validity?.tone ?? "neutral"}>{validity?.label ?? item.validity}</Badge>;
}

export function EvidenceLibraryItem({ item }: { item: LibraryItem }) {
  const source =
    item.kind === "file"
      ? `${item.fileName ?? "File"} · ${formatBytes(item.sizeBytes)}`
      : urlHost(item.url ?? "");
  return (
    <li className="library-item" data-evidence-id={item.id}>
      <div className="library-cell library-what">
        <span className="library-title">
          <ItemTitle item={item} />
        </span>
        <span className="library-source">
          <Badge>{item.kind === "file" ? "File" : "Link"}</Badge> {source}
        </span>
      </div>
      <div className="library-cell">
        <span className="library-label">Control</span>
        <Link to={`/controls/${encodeURIComponent(item.controlKey)}`}>{item.controlTitle}</Link>
        {item.testKey && (
          <span className="library-test" title={item.testDescription ?? undefined}>
            Test: {item.testDescription ?? item.testKey}
          </span>
        )}
      </div>
      <div className="library-cell">
        <span className="library-label">Dates</span>
        <span>From {formatDay(item.evidenceDate)}</span>
        <span>Valid until {formatDay(item.validUntil)}</span>
      </div>
      <div className="library-cell">
        <span className="library-label">Validity</span>
        <ValidityBadge item={item} />
      </div>
      <div className="library-cell">
        <span className="library-label">Added</span>
        <span>{item.uploadedBy?.name ?? "Unknown"}</span>
        <span className="library-muted">{formatDate(item.createdAt)}</span>
      </div>
    </li>
  );
}
