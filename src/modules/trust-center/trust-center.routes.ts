import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";

/** Admin API of the trust center: settings, preview, publication. */
export function trustCenterRoutes(_app: App, _deps: Deps): void {}
