import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";

/** Findings: the list, a finding, triage and risk acceptances (helper 4; stub). */
export function findingRoutes(_app: App, _deps: Deps): void {}
