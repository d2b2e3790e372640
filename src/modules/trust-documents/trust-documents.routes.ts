import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";

/** Admin API of trust center documents and access requests. */
export function trustDocumentsRoutes(_app: App, _deps: Deps): void {}
