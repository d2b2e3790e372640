// The controls area's query hooks (keys in ui/queries.ts: other areas refresh them too).
import { useQuery } from "@tanstack/react-query";
import { keys } from "../../ui/queries";
import { controlsApi } from "./api";

export function useControls() {
  return useQuery({ queryKey: keys.controls, queryFn: controlsApi.controls });
}
