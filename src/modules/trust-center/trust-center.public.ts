import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";

import "./sections.ts";

/** The public trust center pages, at /trust and at the root of ATTEST_TRUST_HOST. */
export function trustCenterPublicRoutes(_app: App, _deps: Deps): void {}
