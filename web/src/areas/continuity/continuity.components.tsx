// What the continuity pages share: a restore test's result and a system's standing as badges.
import { Badge } from "../../ui/StatusBadge";
import type { BackedUpSystem, RestoreResult } from "./continuity.types";

export const RESULTS: { value: RestoreResult; label: string }[] = [
  { value: "passed", label: "Passed" },
  { value: "failed", label: "Failed" },
  { value: "unverified", label: "Integrity not verified" },
];

export function ResultBadge({ result, withdrawn }: { result: RestoreResult; withdrawn?: boolean }) {
  if (withdrawn) return <Badge tone="neutral">Withdrawn</Badge>;
  if (result === "passed") return <Badge tone="success">Passed</Badge>;
  if (result === "failed") return <Badge tone="danger">Failed</Badge>;
  return <Badge tone="warning">Integrity not verified</Badge>;
}

const REASONS = {
  none: "Never restore-tested",
  failed: "No successful test",
  old: "Last successful test over a year old",
};

export function StandingBadge({ system }: { system: BackedUpSystem }) {
  if (system.status === "passing") return <Badge tone="success">Tested</Badge>;
  if (system.status === "due_soon") return <Badge tone="warning">Due soon</Badge>;
  return <Badge tone="danger">{system.reason ? REASONS[system.reason] : "Failing"}</Badge>;
}
