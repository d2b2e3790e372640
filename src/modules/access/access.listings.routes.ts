import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";

/** authorized_keys listings collected from hosts: upload, list, read (issue 12). */
export function hostListingRoutes(_app: App, _deps: Deps): void {}
