import type { ColumnType, Generated, Selectable } from "kysely";

/** Table types of the notices migration (src/db/migrations/20261125132000_notices.ts). */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

export const NOTICE_SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
export type NoticeSeverity = (typeof NOTICE_SEVERITIES)[number];
export const NOTICE_KINDS = [
  "security",
  "incident",
  "maintenance",
  "policy_change",
  "other",
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const NOTICE_STATUSES = ["draft", "published", "resolved"] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];
export type SubscriberStatus = "pending" | "confirmed" | "unsubscribed";
export type DeliveryStatus = "pending" | "sending" | "sent" | "failed" | "skipped";

export interface NoticesTable {
  id: Generated<string>;
  organization_id: string;
  title: string;
  body: string;
  severity: NoticeSeverity;
  kind: NoticeKind;
  affected_services: ColumnType<string[], string[] | undefined, string[]>;
  status: NoticeStatus;
  incident_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  published_at: Date | null;
  resolved_at: Date | null;
  /** When the notice's subscribers were first told (published or updated with notification). */
  subscribers_notified_at: Date | null;
}

export interface NoticeUpdatesTable {
  id: Generated<string>;
  organization_id: string;
  notice_id: string;
  body: string;
  notify_subscribers: boolean;
  author_id: string | null;
  created_at: CreatedAt;
}

export interface NoticeSubscribersTable {
  id: Generated<string>;
  organization_id: string;
  email: string;
  status: SubscriberStatus;
  confirm_token_hash: string | null;
  confirm_expires_at: Date | null;
  unsubscribe_token_hash: string;
  unsubscribe_token_enc: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  confirmed_at: Date | null;
  unsubscribed_at: Date | null;
}

export interface NoticeDeliveriesTable {
  id: Generated<string>;
  organization_id: string;
  notice_id: string;
  update_id: string | null;
  subject_id: string;
  subscriber_id: string;
  status: DeliveryStatus;
  attempts: Generated<number>;
  last_error: string | null;
  claimed_at: Date | null;
  created_at: CreatedAt;
  sent_at: Date | null;
}

/** Notices to external parties and their email subscribers. */
export interface NoticesTables {
  notices: NoticesTable;
  notice_updates: NoticeUpdatesTable;
  notice_subscribers: NoticeSubscribersTable;
  notice_deliveries: NoticeDeliveriesTable;
}

export type Notice = Selectable<NoticesTable>;
export type NoticeUpdate = Selectable<NoticeUpdatesTable>;
export type NoticeSubscriber = Selectable<NoticeSubscribersTable>;
