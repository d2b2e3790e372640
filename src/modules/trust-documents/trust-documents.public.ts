import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";

/** Public pages of documents: list, request form, the requester's expiring link, downloads. */
export function trustDocumentsPublicRoutes(_app: App, _deps: Deps): void {}
