// Small pieces the incident pages share: severity and status as words, the severity choice
// with the organization's definitions, the clocks.
import { formatDateTime, isPast } from "../../ui/format";
import { Badge, type Tone } from "../../ui/StatusBadge";
import type { IncidentStatus, IncidentSummary, Severities, Severity } from "./incidents.types";

export const SEVERITIES: { value: Severity; label: string; tone: Tone }[] = [
  { value: "critical", label: "Critical", tone: "danger" },
  { value: "high", label: "High", tone: "danger" },
  { value: "medium", label: "Medium", tone: "warning" },
  { value: "low", label: "Low", tone: "neutral" },
];

export const STATUSES: { value: IncidentStatus; label: string; tone: Tone }[] = [
  { value: "reported", label: "Reported", tone: "warning" },
  { value: "triaged", label: "Triaged", tone: "info" },
  { value: "contained", label: "Contained", tone: "info" },
  { value: "resolved", label: "Resolved", tone: "success" },
  { value: "closed", label: "Closed", tone: "neutral" },
];

export function severityLabel(severity: string | null): string {
  return SEVERITIES.find((s) => s.value === severity)?.label ?? "Not set";
}

export function statusLabel(status: string | null): string {
  return STATUSES.find((s) => s.value === status)?.label ?? status ?? "";
}

export function SeverityBadge({ severity }: { severity: Severity | null }) {
  const found = SEVERITIES.find((s) => s.value === severity);
  if (!found) return <Badge tone="neutral">Severity not set</Badge>;
  return <Badge tone={found.tone}>{found.label}</Badge>;
}

export function IncidentStatusBadge({ status }: { status: IncidentStatus }) {
  const found = STATUSES.find((s) => s.value === status);
  return <Badge tone={found?.tone ?? "neutral"}>{found?.label ?? status}</Badge>;
}

/** The clock that runs now: triage before triage, the next update while open. */
export function ClockText({ incident }: { incident: IncidentSummary }) {
  const due = incident.triageBy ?? incident.nextUpdateBy;
  if (!due) return null;
  const what = incident.triageBy ? "Triage" : "Next update";
  const late = isPast(due);
  return (
    <span className={late ? "incident-clock incident-clock-late" : "incident-clock"}>
      {what} {late ? "was due" : "due"} {formatDateTime(due)}
      {late ? " (late)" : ""}
    </span>
  );
}

/** "5 h" or "3 days 4 h". */
export function formatHours(hours: number): string {
  const rounded = Math.round(hours);
  if (rounded < 48) return `${rounded} h`;
  const days = Math.floor(rounded / 24);
  const rest = rounded % 24;
  return rest ? `${days} days ${rest} h` : `${days} days`;
}

/**
 * The four severities as radio buttons, each with what it means in this organization
 * (Settings → Monitoring) and how often an open incident of it needs an update.
 */
export function SeverityChoice({
  value,
  onChange,
  severities,
  error,
  optional = false,
}: {
  value: Severity | "";
  onChange: (severity: Severity | "") => void;
  severities: Severities | undefined;
  error?: string;
  optional?: boolean;
}) {
  return (
    <fieldset className="incident-fieldset" aria-describedby={error ? "severity-error" : undefined}>
      <legend className="field-label">Severity{optional ? " (optional)" : ""}</legend>
      {optional && (
        <label className="incident-choice">
          <input
            type="radio"
            name="severity"
            value=""
            checked={value === ""}
            onChange={() => onChange("")}
          />
          <span>
            <strong>Not sure yet</strong>
            <span className="field-hint">Whoever triages the incident sets it.</span>
          </span>
        </label>
      )}
      {SEVERITIES.map((s) => (
        <label key={s.value} className="incident-choice">
          <input
            type="radio"
            name="severity"
            value={s.value}
            checked={value === s.value}
            onChange={() => onChange(s.value)}
          />
          <span>
            <strong>{s.label}</strong>
            {severities && (
              <span className="field-hint">
                {severities[s.value].definition} Update at least every{" "}
                {severities[s.value].updateDays === 1
                  ? "day"
                  : `${severities[s.value].updateDays} days`}{" "}
                while open.
              </span>
            )}
          </span>
        </label>
      ))}
      {error && (
        <p className="field-error" id="severity-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
