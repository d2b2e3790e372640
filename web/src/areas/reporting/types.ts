// Types of the confidential reporting API (/api/v1/reports, /api/v1/reporting).

export type ReportState = "received" | "acknowledged" | "investigating" | "closed";
export type ReportCategory = "security" | "conduct" | "privacy" | "other";
export type DeadlineStatus = "met" | "late" | "open" | "due_soon" | "overdue";

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

export interface Deadline {
  dueAt: string;
  status: DeadlineStatus;
  doneAt: string | null;
}

export interface ReportSummary {
  id: string;
  reference: string;
  category: ReportCategory;
  state: ReportState;
  receivedAt: string;
  acknowledgement: Deadline;
  feedback: Deadline;
  closedAt: string | null;
  awaitingReply: boolean;
}

export interface ReportMessage {
  id: string;
  author: "handler" | "reporter";
  authorName: string | null;
  body: string;
  createdAt: string;
}

export interface Report extends ReportSummary {
  subject: string;
  details: string;
  contact: { name: string | null; email: string | null; phone: string | null } | null;
  outcome: string | null;
  messages: ReportMessage[];
}

export interface Handler {
  userId: string;
  name: string;
  email: string;
  role: string;
}

export interface ReportingChannel {
  enabled: boolean;
  intro: string;
  categories: ReportCategory[];
  handlersDesignated: boolean;
  handlers: Handler[];
  eligible: Handler[];
  youAreHandler: boolean;
  youMayDesignate: boolean;
  acknowledgeDays: number;
  feedbackDays: number;
}

export interface ChannelChanges {
  enabled?: boolean;
  intro?: string;
  categories?: ReportCategory[];
}

export type ReportFilter = ReportState | "open" | "";

export function categoryLabel(category: ReportCategory): string {
  return REPORT_CATEGORIES.find((c) => c.value === category)?.label ?? category;
}

export function stateLabel(state: ReportState): string {
  return REPORT_STATES.find((s) => s.value === state)?.label ?? state;
}
