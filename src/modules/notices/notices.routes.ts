import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";

/** Admin API of notices and subscribers. */
export function noticesRoutes(_app: App, _deps: Deps): void {}
