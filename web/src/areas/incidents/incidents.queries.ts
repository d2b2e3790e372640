// Query keys and hooks of the incidents area; every write reads incidents, exercises, notices
// and the controls again.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type IncidentsFilter, incidentsApi } from "./incidents.api";

export const incidentKeys = {
  all: ["incidents"] as const,
  list: (filter: IncidentsFilter) => ["incidents", "list", filter] as const,
  one: (id: string) => ["incidents", id] as const,
  entries: (id: string) => ["incidents", id, "entries"] as const,
  lessons: (id: string) => ["incidents", id, "lessons"] as const,
  severities: ["incidents", "severities"] as const,
  shared: ["incidents", "shared-lessons"] as const,
  myItems: ["incidents", "my-action-items"] as const,
  exercises: ["ir-exercises"] as const,
  exercise: (id: string) => ["ir-exercises", id] as const,
  planVersions: ["ir-exercises", "plan-versions"] as const,
};

const pages = {
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (last: { nextCursor: string | null }) => last.nextCursor ?? undefined,
};

export function useIncidents(filter: IncidentsFilter) {
  return useInfiniteQuery({
    queryKey: incidentKeys.list(filter),
    queryFn: ({ pageParam }) => incidentsApi.incidents(filter, pageParam),
    ...pages,
  });
}

export function useIncident(id: string) {
  return useQuery({ queryKey: incidentKeys.one(id), queryFn: () => incidentsApi.incident(id) });
}

export function useEntries(id: string) {
  return useQuery({ queryKey: incidentKeys.entries(id), queryFn: () => incidentsApi.entries(id) });
}

export function useSeverities() {
  return useQuery({
    queryKey: incidentKeys.severities,
    queryFn: incidentsApi.severities,
    staleTime: 60_000,
  });
}

export function useLessons(id: string) {
  return useQuery({
    queryKey: incidentKeys.lessons(id),
    queryFn: () => incidentsApi.lessons(id),
    retry: false,
  });
}

export function useSharedLessons() {
  return useInfiniteQuery({
    queryKey: incidentKeys.shared,
    queryFn: ({ pageParam }) => incidentsApi.sharedLessons(pageParam),
    ...pages,
  });
}

export function useMyActionItems() {
  return useQuery({ queryKey: incidentKeys.myItems, queryFn: incidentsApi.myActionItems });
}

export function useExercises() {
  return useInfiniteQuery({
    queryKey: incidentKeys.exercises,
    queryFn: ({ pageParam }) => incidentsApi.exercises(pageParam),
    ...pages,
  });
}

export function useExercise(id: string) {
  return useQuery({
    queryKey: incidentKeys.exercise(id),
    queryFn: () => incidentsApi.exercise(id),
  });
}

export function usePlanVersions(enabled: boolean) {
  return useQuery({
    queryKey: incidentKeys.planVersions,
    queryFn: incidentsApi.planVersions,
    enabled,
  });
}

/** A write of the incidents area: afterwards its data, the notices and the controls are read again. */
export function useIncidentMutation<A, R>(write: (args: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: incidentKeys.all });
      await client.invalidateQueries({ queryKey: incidentKeys.exercises });
      await client.invalidateQueries({ queryKey: ["notices"] });
      await client.invalidateQueries({ queryKey: ["controls"] });
      await client.invalidateQueries({ queryKey: ["dashboard"] });
    },
  });
}
