// Badges of the reporting pages: a report's state, and a deadline with its due-soon or
// overdue mark (the words carry the meaning; the colour repeats it).
import { formatDate } from "../../ui/format";
import { Badge, type Tone } from "../../ui/StatusBadge";
import { type Deadline, type ReportState, stateLabel } from "./types";

const stateTones: Record<ReportState, Tone> = {
  received: "warning",
  acknowledged: "info",
  investigating: "info",
  closed: "success",
};

export function ReportStateBadge({ state }: { state: ReportState }) {
  return <Badge tone={stateTones[state]}>{stateLabel(state)}</Badge>;
}

export function DeadlineBadge({ deadline }: { deadline: Deadline }) {
  const due = formatDate(deadline.dueAt);
  switch (deadline.status) {
    case "met":
      return <Badge tone="success">Done {formatDate(deadline.doneAt)}</Badge>;
    case "late":
      return (
        <Badge tone="danger">
          Late: done {formatDate(deadline.doneAt)}, due {due}
        </Badge>
      );
    case "overdue":
      return <Badge tone="danger">Overdue since {due}</Badge>;
    case "due_soon":
      return <Badge tone="warning">Due soon: {due}</Badge>;
    default:
      return <Badge tone="neutral">By {due}</Badge>;
  }
}
