// Findings' shared pieces: severity, status and SLA in words (never colour alone), and the table.
import { Link } from "react-router";
import { formatDate } from "../../ui/format";
import { Badge, type Tone } from "../../ui/StatusBadge";
import { type Finding, SEVERITY_LABELS, SLA_LABELS, STATUS_LABELS } from "./findings.queries";

const SEVERITY_TONES: Record<Finding["severity"], Tone> = {
  critical: "danger",
  high: "warning",
  medium: "info",
  low: "neutral",
};

export function SeverityBadge({ severity }: { severity: Finding["severity"] }) {
  return <Badge tone={SEVERITY_TONES[severity]}>{SEVERITY_LABELS[severity]}</Badge>;
}

export function StatusText({ status }: { status: Finding["status"] }) {
  const tone: Tone = status === "open" ? "warning" : status === "resolved" ? "success" : "neutral";
  return <Badge tone={tone}>{STATUS_LABELS[status]}</Badge>;
}

/** The deadline with its state in words: "Overdue since 3 Dec", "Due soon: 5 Dec". */
export function Deadline({ finding }: { finding: Pick<Finding, "deadlineAt" | "sla"> }) {
  if (!finding.deadlineAt || !finding.sla) return <span className="muted">Not counting</span>;
  const date = formatDate(finding.deadlineAt);
  if (finding.sla === "overdue") {
    return <Badge tone="danger">{`${SLA_LABELS.overdue} since ${date}`}</Badge>;
  }
  if (finding.sla === "due_soon") return <Badge tone="warning">{`Due soon: ${date}`}</Badge>;
  return <span>{`Due ${date}`}</span>;
}

/** "CVE-2024-3094 · xz-utils 5.6.0 · src/app.ts:12": what and where, in one line. */
export function findingWhere(f: Finding): string {
  return [
    f.identifiers.slice(0, 3).join(", "),
    f.packageName ? `${f.packageName}${f.installedVersion ? ` ${f.installedVersion}` : ""}` : "",
    f.filePath ? `${f.filePath}${f.line ? `:${f.line}` : ""}` : "",
  ]
    .filter(Boolean)
    .join(" · ");
}

export function FindingTable({ findings, label }: { findings: Finding[]; label: string }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label={label} tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Finding</th>
            <th scope="col">System</th>
            <th scope="col">Severity</th>
            <th scope="col">Status</th>
            <th scope="col">Deadline</th>
            <th scope="col">Assignee</th>
          </tr>
        </thead>
        <tbody>
          {findings.map((f) => (
            <tr key={f.id}>
              <td>
                <Link to={`/vulnerabilities/findings/${f.id}`}>{f.title}</Link>
                <div className="muted break">{findingWhere(f)}</div>
                <div className="muted">
                  {f.source === "pentest" ? `Pentest: ${f.pentestName ?? "?"}` : f.tool}
                </div>
              </td>
              <td>
                <Link to={`/systems/${f.systemId}`}>{f.systemName}</Link>
              </td>
              <td>
                <SeverityBadge severity={f.severity} />
                {f.cvssScore !== null && <div className="muted">CVSS {f.cvssScore}</div>}
              </td>
              <td>
                <StatusText status={f.status} />
              </td>
              <td>
                <Deadline finding={f} />
              </td>
              <td>{f.assigneeName ?? <span className="muted">Nobody</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
