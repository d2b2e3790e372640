// Whether a person is active today, has not started yet, or has left.
import { utcDay } from "../../ui/format";
import { Badge } from "../../ui/StatusBadge";
import type { Person } from "./types";

export function PersonStatus({ person }: { person: Person }) {
  if (person.active) return <Badge tone="success">Active</Badge>;
  if (person.startDate > utcDay()) return <Badge tone="info">Starts later</Badge>;
  return <Badge>Left</Badge>;
}
