import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";

export function accessRoutes(_app: App, _deps: Deps) {}
