import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";

/** The inventory's routes under /api/v1. */
export function systemsRoutes(_app: App, _deps: Deps) {}
