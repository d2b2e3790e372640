import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";

/** Scanner file imports (helper 2; stub). */
export function scanImportRoutes(_app: App, _deps: Deps): void {}
