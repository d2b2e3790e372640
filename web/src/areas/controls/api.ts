// The controls area's endpoints.
import { get, patch, seg } from "../../ui/http";
import { fetchAll } from "../../ui/pager";
import type { Answer } from "../../ui/schema";
import type { Control, UpdateControlInput } from "./types";

export const controlsApi = {
  controls: () => fetchAll<Control>("/controls"),
  /** One control now, or as evaluated at the end of a past day (YYYY-MM-DD). */
  control: (key: string, asOf?: string) => get<Control>(`/controls/${seg(key)}`, { asOf }),
  controlHistory: (key: string, from: string, to: string) =>
    get<Answer<"/api/v1/controls/{key}/history">>(`/controls/${seg(key)}/history`, { from, to }),
  updateControl: (key: string, input: UpdateControlInput) =>
    patch<Control>(`/controls/${seg(key)}`, input),
};
