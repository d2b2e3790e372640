// Pieces the customers pages share: the status and task badges.
import { Badge, type Tone } from "../../ui/StatusBadge";
import type { CustomerStatus, DisposalTask } from "./customers.types";

export const STATUSES: { value: CustomerStatus; label: string; tone: Tone }[] = [
  { value: "upcoming", label: "Not started", tone: "neutral" },
  { value: "active", label: "Active", tone: "info" },
  { value: "ended", label: "Ended", tone: "neutral" },
  { value: "disposal_due", label: "Disposal due", tone: "warning" },
  { value: "disposal_overdue", label: "Disposal overdue", tone: "danger" },
  { value: "disposal_complete", label: "Disposal complete", tone: "success" },
];

export function CustomerStatusBadge({ status }: { status: CustomerStatus }) {
  const found = STATUSES.find((s) => s.value === status);
  return <Badge tone={found?.tone ?? "neutral"}>{found?.label ?? status}</Badge>;
}

const TASK_STATES: Record<DisposalTask["state"], { label: string; tone: Tone }> = {
  open: { label: "Not yet due", tone: "neutral" },
  due_soon: { label: "Due soon", tone: "warning" },
  overdue: { label: "Overdue", tone: "danger" },
  done: { label: "Disposed of", tone: "success" },
  done_late: { label: "Disposed of late", tone: "warning" },
  unknown: { label: "No deadline: no retention", tone: "danger" },
};

export function TaskBadge({ task }: { task: DisposalTask }) {
  const state = TASK_STATES[task.state];
  const late = task.daysLate > 0 ? ` (${task.daysLate} days late)` : "";
  return (
    <Badge tone={state.tone}>
      {state.label}
      {late}
    </Badge>
  );
}

export const METHODS = [
  { value: "deleted", label: "Deleted" },
  { value: "crypto_shredded", label: "Crypto-shredded" },
  { value: "returned", label: "Returned to the customer" },
  { value: "anonymised", label: "Anonymised" },
  { value: "other", label: "Other" },
] as const;
