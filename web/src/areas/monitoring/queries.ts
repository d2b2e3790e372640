// What an owner or admin needs to finish setting Attest up: the getting-started checklist
// (computed by the server from the organization's data) and whether outgoing mail is on.
import { useQuery } from "@tanstack/react-query";
import { apiRequest } from "../../ui/http";
import type { GettingStarted, OutgoingMail } from "./types";

const setupKeys = {
  // Under "dashboard", so whatever refreshes the dashboard refreshes the checklist too.
  gettingStarted: ["dashboard", "getting-started"] as const,
  outgoingMail: ["outgoing-mail"] as const,
};

export function useGettingStarted(enabled: boolean) {
  return useQuery({
    queryKey: setupKeys.gettingStarted,
    queryFn: () => apiRequest<GettingStarted>("GET", "/dashboard/getting-started"),
    enabled,
  });
}

/** Whether Attest can send mail (ATTEST_SMTP_URL): fixed while the server runs. */
export function useOutgoingMail(enabled: boolean) {
  return useQuery({
    queryKey: setupKeys.outgoingMail,
    queryFn: () => apiRequest<OutgoingMail>("GET", "/outgoing-mail"),
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
  });
}
