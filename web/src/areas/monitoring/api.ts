// The dashboard's endpoint.
import { get } from "../../ui/http";
import type { Dashboard } from "./types";

export const monitoringApi = {
  dashboard: () => get<Dashboard>("/dashboard"),
};
