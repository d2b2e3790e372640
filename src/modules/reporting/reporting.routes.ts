import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";

/** Handlers' API of confidential reports. */
export function reportingRoutes(_app: App, _deps: Deps): void {}
