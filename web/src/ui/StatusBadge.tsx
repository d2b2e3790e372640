// Status shown as text with a tone; the colour only repeats what the words say.
import type { ReactNode } from "react";
import type { ControlStatus, TestState } from "./schema";

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
