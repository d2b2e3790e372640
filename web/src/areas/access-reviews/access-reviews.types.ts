// The access reviews API's data, named from the generated schema (web/src/api/schema.d.ts).
import type { Answer, ItemOf, QueryOf, RequestBody } from "../../ui/schema";

export type AccessReview = Answer<"/api/v1/access-reviews/{id}">;
export type ReviewStatus = AccessReview["status"];
export type ReviewItem = ItemOf<"/api/v1/access-reviews/{id}/items">;
export type AssignedItem = ItemOf<"/api/v1/access-review-items/assigned">;
export type Decision = NonNullable<ReviewItem["decision"]>;
export type ItemFilter = Omit<QueryOf<"/api/v1/access-reviews/{id}/items">, "cursor" | "limit">;
export type NewAccessReview = RequestBody<"/api/v1/access-reviews", "post">;
export type DecisionInput = RequestBody<"/api/v1/access-reviews/{id}/decisions", "post">;
export type ReassignInput = RequestBody<"/api/v1/access-reviews/{id}/reassign", "post">;
/** What a decision or a reassignment answers: the campaign and the items changed. */
export type ItemsResult = Answer<"/api/v1/access-reviews/{id}/decisions", "post">;
