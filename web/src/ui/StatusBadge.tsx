// Status shown as text with a tone; the colour only repeats what the words say.
import type { ReactNode } from "react";
import type { ControlStatus, TestState, UserStatus, VersionStatus, Visibility } from "./types";

export type Tone = "neutral" | "success" | "danger" | "warning" | "info";

const labels: Record<ControlStatus | TestState, { label: string; tone: Tone }> = {
  passing: { label: "Passing", tone: "success" },
  failing: { label: "Failing", tone: "danger" },
  needs_attention: { label: "Needs attention", tone: "warning" },
  due_soon: { label: "Due soon", tone: "warning" },
  error: { label: "Error", tone: "danger" },
  not_applicable: { label: "Not applicable", tone: "neutral" },
  not_evaluated: { label: "Not evaluated", tone: "neutral" },
};

export function statusLabel(status: ControlStatus | TestState): string {
  return labels[status]?.label ?? status;
}

export function Badge({ tone = "neutral", children }: { tone?: Tone; children: ReactNode }) {
  return (
    <span className={`badge badge-${tone}`}>
      <span className="badge-dot" aria-hidden="true" />
      {children}
    </span>
  );
}

export function StatusBadge({ status }: { status: ControlStatus | TestState }) {
  const { label, tone } = labels[status] ?? { label: status, tone: "neutral" };
  return <Badge tone={tone}>{label}</Badge>;
}

const userStatus: Record<UserStatus, { label: string; tone: Tone }> = {
  active: { label: "Active", tone: "success" },
  invited: { label: "Invited", tone: "info" },
  deactivated: { label: "Deactivated", tone: "neutral" },
};

export function UserStatusBadge({ status }: { status: UserStatus }) {
  const { label, tone } = userStatus[status] ?? { label: status, tone: "neutral" };
  return <Badge tone={tone}>{label}</Badge>;
}

const versionStatus: Record<VersionStatus, { label: string; tone: Tone }> = {
  draft: { label: "Draft", tone: "info" },
  submitted: { label: "Awaiting approval", tone: "warning" },
  published: { label: "Published", tone: "success" },
  superseded: { label: "Superseded", tone: "neutral" },
  retired: { label: "Retired", tone: "neutral" },
};

export function VersionStatusBadge({
  status,
  version,
}: {
  status: VersionStatus;
  version?: number;
}) {
  const { label, tone } = versionStatus[status] ?? { label: status, tone: "neutral" };
  return (
    <Badge tone={tone}>
      {label}
      {version !== undefined && ` · v${version}`}
    </Badge>
  );
}

export function VisibilityBadge({ visibility }: { visibility: Visibility }) {
  return visibility === "public" ? <Badge tone="info">Public</Badge> : <Badge>Internal</Badge>;
}
