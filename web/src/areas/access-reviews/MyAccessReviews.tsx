// The dashboard's note of my undecided review items; nothing when there are none.
import { Link } from "react-router";
import { Callout } from "../../ui/Callout";
import { plural } from "../../ui/format";
import { useCan } from "../../ui/session";
import { useAssignedItems } from "./access-reviews.queries";

export function MyAccessReviews() {
  const can = useCan();
  const assigned = useAssignedItems(can("access.self"));
  const items = assigned.data?.pages.flatMap((p) => p.items) ?? [];
  if (items.length === 0) return null;
  const campaigns = new Set(items.map((i) => i.review.id)).size;
  return (
    <Callout
      tone="warning"
      title={`You have ${plural(items.length, "access review item")}${assigned.hasNextPage ? " or more" : ""} to decide`}
    >
      <p>
        In {plural(campaigns, "access review")}.{" "}
        <Link to="/my/access-reviews">Go to my access reviews</Link>
      </p>
    </Callout>
  );
}
