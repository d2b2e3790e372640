import type { ControlTest } from "../monitoring/registry.ts";

/** incident-lessons-learned: lessons-learned-shared. */
export const lessonsChecks: readonly ControlTest[] = [];
