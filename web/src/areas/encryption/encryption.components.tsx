// The encryption area's shared pieces: where a key or a data store stands, and who recorded
// something.
import { Badge } from "../../ui/StatusBadge";
import type { Standing } from "./encryption.queries";

const STANDINGS: Record<Standing, { label: string; tone: "success" | "warning" | "danger" }> = {
  current: { label: "Current", tone: "success" },
  due_soon: { label: "Due soon", tone: "warning" },
  overdue: { label: "Overdue", tone: "danger" },
};

export function StandingBadge({ standing, label }: { standing: Standing; label?: string }) {
  const shown = STANDINGS[standing];
  return <Badge tone={shown.tone}>{label ?? shown.label}</Badge>;
}

/** A user's name, or Attest's own name for what it recorded itself. */
export function recorder(entry: {
  recordedBy?: { name: string } | null;
  confirmedBy?: { name: string } | null;
  actorName: string | null;
}): string {
  return (
    entry.recordedBy?.name ?? entry.confirmedBy?.name ?? `Attest (${entry.actorName ?? "system"})`
  );
}
