import type { ControlTest } from "../monitoring/registry.ts";

/** access-removal's terminated-access-removed (CONTROLS.md). */
export const removalChecks: readonly ControlTest[] = [];
