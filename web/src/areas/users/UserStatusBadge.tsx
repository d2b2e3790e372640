// A user's status as a badge.
import { Badge, type Tone } from "../../ui/StatusBadge";
import type { UserStatus } from "./types";

const userStatus: Record<UserStatus, { label: string; tone: Tone }> = {
  active: { label: "Active", tone: "success" },
  invited: { label: "Invited", tone: "info" },
  deactivated: { label: "Deactivated", tone: "neutral" },
};

export function UserStatusBadge({ status }: { status: UserStatus }) {
  const { label, tone } = userStatus[status] ?? { label: status, tone: "neutral" };
  return <Badge tone={tone}>{label}</Badge>;
}
