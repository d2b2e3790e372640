import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";

/** Public notices: pages, the Atom feed, subscription with double opt-in, unsubscribe. */
export function noticesPublicRoutes(_app: App, _deps: Deps): void {}
