import type { ColumnType, Generated, Selectable } from "kysely";

/** Table types of the access-reviews area (src/db/migrations/20261204090000_access_reviews_keys.ts). */
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;
type Flag = ColumnType<boolean, boolean | undefined, boolean>;

/**
 * A campaign: the access to a set of systems, frozen when it started, reviewed item by item.
 * Complete when every item is decided; closed (signed off, its record filed as evidence) once
 * every revocation it asked for is carried out; or cancelled.
 */
export interface AccessReviewsTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  /** Started by the schedule (each system's review period) rather than by hand. */
  scheduled: Flag;
  started_at: ColumnType<Date, Date | undefined, Date>;
  started_by: string | null;
  due_at: Date;
  completed_at: Date | null;
  closed_at: Date | null;
  closed_by: string | null;
  evidence_id: string | null;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
  reminded_at: Date | null;
  updated_at: UpdatedAt;
}

/** A system under review in a campaign: its reviewer by default, and when its review was done. */
export interface AccessReviewSystemsTable {
  review_id: string;
  organization_id: string;
  system_id: string;
  /** The system's owner when the campaign started. */
  owner_id: string | null;
  item_count: ColumnType<number, number | undefined, number>;
  /** When the system's last item was decided (its review complete). */
  completed_at: Date | null;
}

export const REVIEW_DECISIONS = ["keep", "revoke"] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/**
 * One grant or account as it stood when the campaign started, with the context the reviewer
 * decides on; the decision, its comment (required for revoke), and the revocation task.
 */
export interface AccessReviewItemsTable {
  id: Generated<string>;
  organization_id: string;
  review_id: string;
  system_id: string;
  grant_id: string | null;
  account_id: string | null;
  person_id: string | null;
  username: string | null;
  system_role: string | null;
  admin: Flag;
  basis: string | null;
  role_rule_id: string | null;
  job_role: string | null;
  granted_at: Date | null;
  last_login_at: Date | null;
  service: Flag;
  reviewer_id: string | null;
  decision: ReviewDecision | null;
  comment: string | null;
  decided_at: Date | null;
  decided_by: string | null;
  task_id: string | null;
}

export interface AccessReviewsTables {
  access_reviews: AccessReviewsTable;
  access_review_systems: AccessReviewSystemsTable;
  access_review_items: AccessReviewItemsTable;
}

export type AccessReviewRow = Selectable<AccessReviewsTable>;
export type AccessReviewItemRow = Selectable<AccessReviewItemsTable>;
