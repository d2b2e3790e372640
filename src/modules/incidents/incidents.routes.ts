import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";

export function incidentRoutes(_app: App, _deps: Deps): void {}
