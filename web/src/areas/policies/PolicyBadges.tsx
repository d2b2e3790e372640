// A policy version's status and a policy's visibility as badges.
import { Badge, type Tone } from "../../ui/StatusBadge";
import type { VersionStatus, Visibility } from "./types";

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
