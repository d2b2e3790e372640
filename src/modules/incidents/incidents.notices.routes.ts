import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";

/** Notices drafted from an incident, and the incident's export (PDF). */
export function incidentNoticeRoutes(_app: App, _deps: Deps): void {}
