import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";

/** The public reporting form, POST /trust/reports, and the reporter's follow-up pages. */
export function reportingPublicRoutes(_app: App, _deps: Deps): void {}
