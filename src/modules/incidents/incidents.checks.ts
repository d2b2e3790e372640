import type { ControlTest } from "../monitoring/registry.ts";

export const incidentChecks: readonly ControlTest[] = [];
