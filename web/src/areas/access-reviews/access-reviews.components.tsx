// Pieces the access review pages share: a campaign's status, an item's frozen context, its
// decision and its revocation.
import { Link } from "react-router";
import { formatDate, formatDateTime, isPast } from "../../ui/format";
import { Badge, type Tone } from "../../ui/StatusBadge";
import type { AccessReview, ReviewItem, ReviewStatus } from "./access-reviews.types";

const STATUS: Record<ReviewStatus, { label: string; tone: Tone }> = {
  open: { label: "In review", tone: "info" },
  completed: { label: "Decided", tone: "warning" },
  closed: { label: "Signed off", tone: "success" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

export const STATUS_CHOICES: { value: ReviewStatus; label: string }[] = [
  { value: "open", label: STATUS.open.label },
  { value: "completed", label: STATUS.completed.label },
  { value: "closed", label: STATUS.closed.label },
  { value: "cancelled", label: STATUS.cancelled.label },
];

export function ReviewStatusBadge({ review }: { review: AccessReview }) {
  if (review.status === "open" && review.overdue) return <Badge tone="danger">Overdue</Badge>;
  const { label, tone } = STATUS[review.status];
  return <Badge tone={tone}>{label}</Badge>;
}

const BASES: Record<string, string> = {
  role_rule: "Role rule",
  request: "Access request",
  exception: "Exception",
  imported: "Imported",
  manual: "Given by hand",
};

/** Who or what the item is about: the person (or the account for a service account). */
export function itemSubject(item: ReviewItem): string {
  if (item.person) return item.person.name;
  if (item.username) return `${item.username}${item.service ? " (service account)" : ""}`;
  return "Unlinked account";
}

/** What access the item is: "editor (admin) on CRM", "account jdoe on CRM". */
export function itemAccess(item: ReviewItem): string {
  if (item.systemRole) {
    return `${item.systemRole}${item.admin ? " (admin)" : ""} on ${item.system.name}`;
  }
  return `account ${item.username ?? "?"} on ${item.system.name}`;
}

export function ItemSubject({ item }: { item: ReviewItem }) {
  return (
    <>
      {item.person ? (
        <Link to={`/people/${item.person.id}`}>{item.person.name}</Link>
      ) : (
        itemSubject(item)
      )}
      {item.person?.reference && <div className="cell-secondary">{item.person.reference}</div>}
    </>
  );
}

/** The context the reviewer decides on: access, job role, how granted, last login. */
export function ItemContext({ item }: { item: ReviewItem }) {
  return (
    <>
      <div>{itemAccess(item)}</div>
      {item.systemRole && item.username && (
        <div className="cell-secondary">Account {item.username}</div>
      )}
      <div className="cell-secondary">
        Job role: {item.jobRole ?? <span className="muted">none</span>}
      </div>
      <div className="cell-secondary">
        {item.basis ? (BASES[item.basis] ?? item.basis) : "How granted: not recorded"}
        {item.grantedAt ? `, since ${formatDate(item.grantedAt)}` : ""}
      </div>
      <div className="cell-secondary">
        Last login: {item.lastLoginAt ? formatDate(item.lastLoginAt) : "never recorded"}
      </div>
    </>
  );
}

export function ItemDecision({ item }: { item: ReviewItem }) {
  if (!item.decision) return <Badge>Undecided</Badge>;
  return (
    <>
      {item.decision === "keep" ? (
        <Badge tone="success">Keep</Badge>
      ) : (
        <Badge tone="danger">Revoke</Badge>
      )}
      {item.comment && <div className="cell-secondary review-comment">“{item.comment}”</div>}
      {item.decidedAt && (
        <div className="cell-secondary">
          {item.decidedBy ? `${item.decidedBy.name}, ` : ""}
          {formatDateTime(item.decidedAt)}
        </div>
      )}
    </>
  );
}

/** A revoke decision's revocation: carried out when, or open and due when. */
export function ItemRevocation({ item }: { item: ReviewItem }) {
  if (item.decision !== "revoke" || !item.revocation) return <span className="muted">—</span>;
  const { doneAt, dueAt } = item.revocation;
  if (doneAt) {
    return (
      <>
        <Badge tone="success">Carried out</Badge>
        <div className="cell-secondary">{formatDateTime(doneAt)}</div>
      </>
    );
  }
  const late = dueAt !== null && isPast(dueAt);
  return (
    <>
      <Badge tone={late ? "danger" : "warning"}>{late ? "Overdue" : "To carry out"}</Badge>
      {dueAt && <div className="cell-secondary">Due {formatDateTime(dueAt)}</div>}
      <div className="cell-secondary">
        <Link to="/access/tasks">Access tasks</Link>
      </div>
    </>
  );
}
