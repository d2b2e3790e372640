import type { ControlTest } from "../monitoring/registry.ts";

export const exerciseChecks: readonly ControlTest[] = [];
