// The active people of the organization, to choose a facilitator and participants from.
import { useQuery } from "@tanstack/react-query";
import { fetchAll } from "../../ui/pager";

export interface PersonOption {
  id: string;
  name: string;
}

export function useActivePeople() {
  return useQuery({
    queryKey: ["people", "list", "incident-options"],
    queryFn: () => fetchAll<PersonOption>("/people", { status: "active", limit: 200 }, 20),
    staleTime: 60_000,
  });
}
