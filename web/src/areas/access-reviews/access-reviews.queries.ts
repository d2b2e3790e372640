// Query keys and hooks of access reviews; every write reads campaigns, items, access tasks and
// the controls again.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { accessReviewsApi } from "./access-reviews.api";
import type { ItemFilter, ReviewStatus } from "./access-reviews.types";

export const accessReviewKeys = {
  all: ["access-reviews"] as const,
  list: (status: ReviewStatus | undefined) => ["access-reviews", "list", status ?? "any"] as const,
  review: (id: string) => ["access-reviews", id] as const,
  items: (id: string, filter: ItemFilter) => ["access-reviews", id, "items", filter] as const,
  assigned: ["access-reviews", "assigned"] as const,
};

export function useAccessReviews(status: ReviewStatus | undefined) {
  return useInfiniteQuery({
    queryKey: accessReviewKeys.list(status),
    queryFn: ({ pageParam }) => accessReviewsApi.reviews(status, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useAccessReview(id: string) {
  return useQuery({
    queryKey: accessReviewKeys.review(id),
    queryFn: () => accessReviewsApi.review(id),
  });
}

export function useReviewItems(id: string, filter: ItemFilter) {
  return useInfiniteQuery({
    queryKey: accessReviewKeys.items(id, filter),
    queryFn: ({ pageParam }) => accessReviewsApi.items(id, filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useAssignedItems(enabled = true) {
  return useInfiniteQuery({
    queryKey: accessReviewKeys.assigned,
    queryFn: ({ pageParam }) => accessReviewsApi.assigned(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

/** A write of access reviews: afterwards reviews, access tasks and the controls are read again. */
export function useReviewMutation<A, R>(write: (args: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: accessReviewKeys.all });
      await client.invalidateQueries({ queryKey: ["access-workflow"] });
      await client.invalidateQueries({ queryKey: ["controls"] });
      await client.invalidateQueries({ queryKey: ["dashboard"] });
    },
  });
}
