// The controls area's endpoints.
import { get, patch, seg } from "../../ui/http";
import { fetchAll } from "../../ui/pager";
import type { Control, DailyStatus, UpdateControlInput } from "./types";

export const controlsApi = {
  controls: () => fetchAll<Control>("/controls"),
  /** One control now, or as evaluated at the end of a past day (YYYY-MM-DD). */
  control: (key: string, asOf?: string) => get<Control>(`/controls/${seg(key)}`, { asOf }),
  controlHistory: (key: string, from: string, to: string) =>
    get<{ items: DailyStatus[] }>(`/controls/${seg(key)}/history`, { from, to }),
  updateControl: (key: string, input: UpdateControlInput) =>
    patch<Control>(`/controls/${seg(key)}`, input),
};
