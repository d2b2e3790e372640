// Data hooks of the trust center admin page, over the shared API client (web/src/api.ts).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiRequest } from "../../ui/http";
import { useSession } from "../../ui/session";
import type { LogoType, PublishSummary, TrustCenter, TrustSettingsPatch } from "./types";

const BASE = "/api/v1/trust-center";
export const trustCenterKey = ["trust-center"] as const;
const publishSummaryKey = ["trust-center", "publish-summary"] as const;
export const TRUST_PREVIEW_URL = `${BASE}/preview`;
export const draftLogoUrl = (logoId: string) => `${BASE}/logo?v=${encodeURIComponent(logoId)}`;

function call<T>(method: string, path: string, csrf: string | null, body?: unknown) {
  return apiRequest<T>(method, `/trust-center${path}`, body, csrf);
}

export function useTrustCenter() {
  return useQuery({
    queryKey: trustCenterKey,
    queryFn: () => call<TrustCenter>("GET", "", null),
  });
}

/** What publishing now would make public; read fresh each time the confirmation opens. */
export function usePublishSummary(enabled: boolean) {
  return useQuery({
    queryKey: publishSummaryKey,
    queryFn: () => call<PublishSummary>("GET", "/publish-summary", null),
    enabled,
    staleTime: 0,
    gcTime: 0,
  });
}

/** The trust center's writes; each answers the whole trust center, which replaces the cache. */
export function useTrustCenterMutations() {
  const { csrfToken } = useSession();
  const queryClient = useQueryClient();
  const onSuccess = (data: TrustCenter) => {
    queryClient.setQueryData(trustCenterKey, data);
    // Publishing re-evaluates the controls the trust center proves.
    void queryClient.invalidateQueries({ queryKey: ["controls"] });
    void queryClient.invalidateQueries({ queryKey: ["dashboard"] });
  };
  return {
    save: useMutation({
      mutationFn: (patch: TrustSettingsPatch) => call<TrustCenter>("PATCH", "", csrfToken, patch),
      onSuccess,
    }),
    /** Publishes the draft the summary showed (draftVersion), nothing else. */
    publish: useMutation({
      mutationFn: (draftVersion: string) =>
        call<TrustCenter>("POST", "/publish", csrfToken, { draftVersion }),
      onSuccess,
    }),
    takeOffline: useMutation({
      mutationFn: () => call<TrustCenter>("POST", "/offline", csrfToken, {}),
      onSuccess,
    }),
    uploadLogo: useMutation({
      mutationFn: (input: { contentType: LogoType; data: string }) =>
        call<TrustCenter>("PUT", "/logo", csrfToken, input),
      onSuccess,
    }),
    removeLogo: useMutation({
      mutationFn: () => call<TrustCenter>("DELETE", "/logo", csrfToken),
      onSuccess,
    }),
  };
}
