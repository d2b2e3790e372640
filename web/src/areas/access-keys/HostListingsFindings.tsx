// What a listing's keys come to, as badges: the list and the listing page show the same.
import { Badge } from "../../ui/StatusBadge";
import type { HostListingSummary } from "./HostListings.api";

type Counts = Pick<HostListingSummary, "unknown" | "departed" | "shared" | "withoutGrant">;

/** What a listing's keys come to: registered to nobody, to departed people, shared, no grant. */
export function ListingFindings({ listing }: { listing: Counts }) {
  const found = [
    { count: listing.unknown, label: "unknown", tone: "danger" as const },
    { count: listing.departed, label: "departed", tone: "danger" as const },
    { count: listing.shared, label: "shared", tone: "warning" as const },
    { count: listing.withoutGrant, label: "no grant", tone: "warning" as const },
  ].filter((f) => f.count > 0);
  if (found.length === 0) return <Badge tone="success">All registered</Badge>;
  return (
    <span className="badge-list">
      {found.map((f) => (
        <Badge key={f.label} tone={f.tone}>
          {f.count} {f.label}
        </Badge>
      ))}
    </span>
  );
}
