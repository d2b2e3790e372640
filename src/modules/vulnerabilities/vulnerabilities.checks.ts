import type { ControlTest } from "../monitoring/registry.ts";

/** vulnerabilities-within-sla and scans-recent (helper 4; stub). */
export const findingChecks: readonly ControlTest[] = [];
