// Types of the notices API (src/modules/notices/notices.schema.ts), as the web app sees them.
export type NoticeSeverity = "info" | "low" | "medium" | "high" | "critical";
export type NoticeKind = "security" | "incident" | "maintenance" | "policy_change" | "other";
export type NoticeStatus = "draft" | "published" | "resolved";
export type SubscriberStatus = "pending" | "confirmed" | "unsubscribed";

export const SEVERITIES: { value: NoticeSeverity; label: string }[] = [
  { value: "info", label: "Information" },
  { value: "low", label: "Low" },
  { value: "medium", label: "Medium" },
  { value: "high", label: "High" },
  { value: "critical", label: "Critical" },
];

export const KINDS: { value: NoticeKind; label: string }[] = [
  { value: "security", label: "Security notice" },
  { value: "incident", label: "Incident" },
  { value: "maintenance", label: "Maintenance" },
  { value: "policy_change", label: "Policy change" },
  { value: "other", label: "Other" },
];

export interface NoticeSummary {
  id: string;
  title: string;
  severity: NoticeSeverity;
  kind: NoticeKind;
  affectedServices: string[];
  status: NoticeStatus;
  incidentId: string | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  resolvedAt: string | null;
}

export interface NoticeUpdate {
  id: string;
  body: string;
  html: string;
  notifySubscribers: boolean;
  author: { id: string; name: string } | null;
  createdAt: string;
}

export interface Notice extends NoticeSummary {
  body: string;
  html: string;
  author: { id: string; name: string } | null;
  updates: NoticeUpdate[];
  deliveries: { pending: number; sent: number; failed: number; skipped: number };
}

export interface NoticeInput {
  title: string;
  body: string;
  severity: NoticeSeverity;
  kind: NoticeKind;
  affectedServices: string[];
  incidentId?: string | null;
}

export interface NoticeFilter {
  status?: NoticeStatus | "";
  severity?: NoticeSeverity | "";
}

export interface Subscriber {
  id: string;
  email: string;
  status: SubscriberStatus;
  createdAt: string;
  confirmedAt: string | null;
  unsubscribedAt: string | null;
}
