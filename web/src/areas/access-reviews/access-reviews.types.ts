// The access reviews API's data. PROVISIONAL: written by hand from the issue until the
// server's schema lands; then named from the generated schema (web/src/api/schema.d.ts).

export interface Named {
  id: string;
  name: string;
}

export type ReviewStatus = "open" | "completed" | "closed" | "cancelled";
export type Decision = "keep" | "revoke";

export interface ReviewCounts {
  items: number;
  decided: number;
  kept: number;
  revoked: number;
  revocationsDone: number;
  needingReviewer: number;
}

export interface ReviewSystem {
  system: Named;
  owner: Named | null;
  items: number;
  decided: number;
  completedAt: string | null;
}

export interface AccessReview {
  id: string;
  name: string;
  status: ReviewStatus;
  scheduled: boolean;
  startedAt: string;
  startedBy: Named | null;
  dueAt: string;
  overdue: boolean;
  completedAt: string | null;
  closedAt: string | null;
  closedBy: Named | null;
  cancelledAt: string | null;
  cancelledBy: Named | null;
  cancelReason: string | null;
  evidenceId: string | null;
  counts: ReviewCounts;
  systems: ReviewSystem[];
  mayManage: boolean;
}

export interface ReviewItem {
  id: string;
  review: Named & { dueAt: string };
  system: Named;
  kind: "grant" | "account";
  grantId: string | null;
  accountId: string | null;
  person: (Named & { reference: string }) | null;
  username: string | null;
  systemRole: string | null;
  admin: boolean;
  basis: string | null;
  roleRuleId: string | null;
  jobRole: string | null;
  grantedAt: string | null;
  lastLoginAt: string | null;
  service: boolean;
  reviewer: Named | null;
  decision: Decision | null;
  comment: string | null;
  decidedAt: string | null;
  decidedBy: Named | null;
  revocation: { taskId: string | null; dueAt: string | null; doneAt: string | null } | null;
  mayDecide: boolean;
}

export type AssignedItem = ReviewItem;

export interface ItemFilter {
  systemId?: string;
  reviewerId?: string;
  decision?: "undecided" | Decision;
}

export interface NewAccessReview {
  name?: string;
  systemIds: string[];
  dueAt?: string;
}
