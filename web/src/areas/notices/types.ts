// The notices area's API data, named from the generated schema, and the labels of its values.
import type { Answer, ItemOf, RequestBody } from "../../ui/schema";

export type NoticeSummary = ItemOf<"/api/v1/notices">;
export type Notice = Answer<"/api/v1/notices/{id}">;
export type NoticeUpdate = Notice["updates"][number];
export type NoticeInput = RequestBody<"/api/v1/notices", "post">;
export type Subscriber = ItemOf<"/api/v1/notices/subscribers">;
export type NoticeSeverity = Notice["severity"];
export type NoticeKind = Notice["kind"];
export type NoticeStatus = Notice["status"];
export type SubscriberStatus = Subscriber["status"];

/** The list's filters ("" when not set). */
export interface NoticeFilter {
  status?: NoticeStatus | "";
  severity?: NoticeSeverity | "";
}

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
