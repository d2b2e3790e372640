// The confidential reporting API's data (/api/v1/reports, /api/v1/reporting), named from the
// generated schema, and the labels of its values.
import type { Answer, ItemOf, RequestBody } from "../../ui/schema";

export type ReportSummary = ItemOf<"/api/v1/reports">;
export type Report = Answer<"/api/v1/reports/{id}">;
export type ReportMessage = Report["messages"][number];
export type ReportState = Report["state"];
export type ReportCategory = Report["category"];
export type Deadline = Report["acknowledgement"];
export type DeadlineStatus = Deadline["status"];
export type ReportingChannel = Answer<"/api/v1/reporting/settings">;
export type Handler = ReportingChannel["handlers"][number];
export type ChannelChanges = RequestBody<"/api/v1/reporting/settings", "patch">;

export const REPORT_CATEGORIES: { value: ReportCategory; label: string }[] = [
  { value: "security", label: "Security" },
  { value: "conduct", label: "Ethics or conduct" },
  { value: "privacy", label: "Privacy" },
  { value: "other", label: "Something else" },
];

export const REPORT_STATES: { value: ReportState; label: string }[] = [
  { value: "received", label: "Received" },
  { value: "acknowledged", label: "Acknowledged" },
  { value: "investigating", label: "Under investigation" },
  { value: "closed", label: "Closed" },
];

export type ReportFilter = ReportState | "open" | "";

export function categoryLabel(category: ReportCategory): string {
  return REPORT_CATEGORIES.find((c) => c.value === category)?.label ?? category;
}

export function stateLabel(state: ReportState): string {
  return REPORT_STATES.find((s) => s.value === state)?.label ?? state;
}
