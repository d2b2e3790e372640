// Query hooks of the access workflow; every write refreshes requests, tasks and controls.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  type AccessTask,
  accessWorkflowApi,
  type RequestFilter,
  type TaskFilter,
} from "./access-workflow.api";

export const accessWorkflowKeys = {
  all: ["access-workflow"] as const,
  requests: (filter: RequestFilter) => ["access-workflow", "requests", filter] as const,
  request: (id: string) => ["access-workflow", "request", id] as const,
  tasks: (filter: TaskFilter) => ["access-workflow", "tasks", filter] as const,
  proposal: (personId: string) => ["access-workflow", "proposal", personId] as const,
  systems: ["access-workflow", "systems"] as const,
};

export function useSystemRequests(filter: RequestFilter) {
  return useInfiniteQuery({
    queryKey: accessWorkflowKeys.requests(filter),
    queryFn: ({ pageParam }) => accessWorkflowApi.requests(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useSystemRequest(id: string) {
  return useQuery({
    queryKey: accessWorkflowKeys.request(id),
    queryFn: () => accessWorkflowApi.request(id),
  });
}

export function useAccessTasks(filter: TaskFilter, enabled = true) {
  return useInfiniteQuery({
    queryKey: accessWorkflowKeys.tasks(filter),
    queryFn: ({ pageParam }) => accessWorkflowApi.tasks(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export function useAccessProposal(personId: string, enabled = true) {
  return useQuery({
    queryKey: accessWorkflowKeys.proposal(personId),
    queryFn: () => accessWorkflowApi.proposal(personId),
    enabled,
  });
}

export function useSystemChoices(enabled = true) {
  return useQuery({
    queryKey: accessWorkflowKeys.systems,
    queryFn: accessWorkflowApi.systems,
    enabled,
  });
}

/** A write of the workflow: afterwards requests, tasks and the controls are read again. */
export function useAccessMutation<A, R>(write: (args: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: accessWorkflowKeys.all });
      await client.invalidateQueries({ queryKey: ["controls"] });
      await client.invalidateQueries({ queryKey: ["dashboard"] });
    },
  });
}

export function useTaskActions() {
  const complete = useAccessMutation((task: AccessTask) => accessWorkflowApi.complete(task.id));
  const cancel = useAccessMutation((input: { task: AccessTask; reason: string }) =>
    accessWorkflowApi.cancelTask(input.task.id, input.reason),
  );
  return { complete, cancel };
}
