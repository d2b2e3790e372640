// Query keys and hooks of the endpoints area; every write reads endpoints, evidence and the
// controls again.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { endpointsApi } from "./endpoints.api";

export const endpointKeys = {
  all: ["endpoints"] as const,
  list: ["endpoints", "list"] as const,
  one: (id: string) => ["endpoints", id] as const,
  probes: (id: string) => ["endpoints", id, "probes"] as const,
};

export function useEndpoints() {
  return useQuery({ queryKey: endpointKeys.list, queryFn: endpointsApi.endpoints });
}

export function useEndpoint(id: string) {
  return useQuery({ queryKey: endpointKeys.one(id), queryFn: () => endpointsApi.endpoint(id) });
}

export function useProbes(id: string) {
  return useQuery({ queryKey: endpointKeys.probes(id), queryFn: () => endpointsApi.probes(id) });
}

export function useSystemChoices() {
  return useQuery({
    queryKey: ["systems", "options"],
    queryFn: endpointsApi.systems,
    staleTime: 60_000,
  });
}

/** A write of endpoints: afterwards endpoints, evidence and the controls are read again. */
export function useEndpointMutation<A, R>(write: (args: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: endpointKeys.all });
      await client.invalidateQueries({ queryKey: ["evidence"] });
      await client.invalidateQueries({ queryKey: ["controls"] });
      await client.invalidateQueries({ queryKey: ["dashboard"] });
    },
  });
}
