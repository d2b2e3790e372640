import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";

/** Access review campaigns: start, review, decide, sign off, export (issue 12). */
export function accessReviewRoutes(_app: App, _deps: Deps): void {}
