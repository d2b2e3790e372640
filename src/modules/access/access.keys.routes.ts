import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";

/** The key registry: SSH public keys, cloud access keys and API keys per person (issue 12). */
export function accessKeyRoutes(_app: App, _deps: Deps): void {}
