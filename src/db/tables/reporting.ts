import type { ColumnType, Generated, Selectable } from "kysely";

/** Table types of the reporting migration (src/db/migrations/20261125133000_reporting.ts). */
type Timestamp = ColumnType<Date, Date | undefined, Date>;

export const REPORT_STATES = ["received", "acknowledged", "investigating", "closed"] as const;
export type ReportState = (typeof REPORT_STATES)[number];

export interface ReportingChannelsTable {
  organization_id: string;
  enabled: boolean;
  intro: string;
  categories: string[];
  updated_at: Timestamp;
}

export interface ReportingChannelChangesTable {
  id: Generated<string>;
  organization_id: string;
  enabled: boolean;
  changed_at: Timestamp;
}

export interface ReportHandlersTable {
  organization_id: string;
  user_id: string;
  designated_at: Timestamp;
  designated_by: string | null;
}

export interface ReportsTable {
  id: Generated<string>;
  organization_id: string;
  number: number;
  category: string;
  /** Encrypted with the master key (encryptString); never plaintext. */
  subject_enc: string;
  body_enc: string;
  /** Encrypted JSON {name, email, phone}, or null for an anonymous report. */
  contact_enc: string | null;
  /** HMAC-SHA-256 of the follow-up key under a key derived from the master key. */
  key_hash: string;
  state: ColumnType<ReportState, ReportState | undefined, ReportState>;
  outcome_enc: string | null;
  received_at: Timestamp;
  acknowledged_at: Date | null;
  feedback_at: Date | null;
  closed_at: Date | null;
  last_reporter_message_at: Date | null;
  updated_at: Timestamp;
}

export interface ReportMessagesTable {
  id: Generated<string>;
  organization_id: string;
  report_id: string;
  author: "handler" | "reporter";
  author_user_id: string | null;
  body_enc: string;
  created_at: Timestamp;
}

export interface ReportRemindersTable {
  organization_id: string;
  report_id: string;
  kind: "acknowledge" | "feedback";
  sent_at: Timestamp;
}

export interface ReportSpentChallengesTable {
  challenge_hash: string;
  expires_at: Date;
}

export type ReportRow = Selectable<ReportsTable>;

export interface ReportingTables {
  reporting_channels: ReportingChannelsTable;
  reporting_channel_changes: ReportingChannelChangesTable;
  report_handlers: ReportHandlersTable;
  reports: ReportsTable;
  report_messages: ReportMessagesTable;
  report_reminders: ReportRemindersTable;
  report_spent_challenges: ReportSpentChallengesTable;
}
