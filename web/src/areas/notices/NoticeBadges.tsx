// Severity and status of a notice as badges: words first, colour only repeats them.

import { Badge, type Tone } from "../../ui/StatusBadge";
import type { NoticeSeverity, NoticeStatus, SubscriberStatus } from "./types";
import { SEVERITIES } from "./types";

const severityTone: Record<NoticeSeverity, Tone> = {
  info: "info",
  low: "neutral",
  medium: "warning",
  high: "danger",
  critical: "danger",
};

export function SeverityBadge({ severity }: { severity: NoticeSeverity }) {
  const label = SEVERITIES.find((s) => s.value === severity)?.label ?? severity;
  return <Badge tone={severityTone[severity] ?? "neutral"}>{label}</Badge>;
}

const statusLabels: Record<NoticeStatus, { label: string; tone: Tone }> = {
  draft: { label: "Draft", tone: "info" },
  published: { label: "Published", tone: "success" },
  resolved: { label: "Resolved", tone: "neutral" },
};

export function NoticeStatusBadge({ status }: { status: NoticeStatus }) {
  const { label, tone } = statusLabels[status] ?? { label: status, tone: "neutral" };
  return <Badge tone={tone}>{label}</Badge>;
}

const subscriberLabels: Record<SubscriberStatus, { label: string; tone: Tone }> = {
  pending: { label: "Awaiting confirmation", tone: "warning" },
  confirmed: { label: "Subscribed", tone: "success" },
  unsubscribed: { label: "Unsubscribed", tone: "neutral" },
};

export function SubscriberStatusBadge({ status }: { status: SubscriberStatus }) {
  const { label, tone } = subscriberLabels[status] ?? { label: status, tone: "neutral" };
  return <Badge tone={tone}>{label}</Badge>;
}
