// Access review campaigns: the endpoints.
import { BASE, get, post, seg } from "../../ui/http";
import type { Page } from "../../ui/pager";
import type {
  AccessReview,
  AssignedItem,
  DecisionInput,
  ItemFilter,
  ItemsResult,
  NewAccessReview,
  ReassignInput,
  ReviewItem,
  ReviewStatus,
} from "./access-reviews.types";

const review = (id: string) => `/access-reviews/${seg(id)}`;

export const accessReviewsApi = {
  reviews: (status: ReviewStatus | undefined, cursor?: string) =>
    get<Page<AccessReview>>("/access-reviews", { status, cursor, limit: 50 }),
  review: (id: string) => get<AccessReview>(review(id)),
  items: (id: string, filter: ItemFilter, cursor?: string) =>
    get<Page<ReviewItem>>(`${review(id)}/items`, { ...filter, cursor, limit: 200 }),
  assigned: (cursor?: string) =>
    get<Page<AssignedItem>>("/access-review-items/assigned", { cursor, limit: 200 }),
  start: (input: NewAccessReview) => post<AccessReview>("/access-reviews", input),
  decide: (id: string, input: DecisionInput) => post<ItemsResult>(`${review(id)}/decisions`, input),
  reassign: (id: string, input: ReassignInput) =>
    post<ItemsResult>(`${review(id)}/reassign`, input),
  cancel: (id: string, reason: string) => post<AccessReview>(`${review(id)}/cancel`, { reason }),
  signOff: (id: string) => post<AccessReview>(`${review(id)}/sign-off`, {}),
  /** Where the browser downloads the signed-off record (same origin, session cookie). */
  recordUrl: (id: string, format: "csv" | "pdf") => `${BASE}${review(id)}/record.${format}`,
};
