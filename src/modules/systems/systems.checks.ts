import type { ControlTest } from "../monitoring/registry.ts";

/** The inventory's control checks (CONTROLS.md): systems-classified, assets-owned, inventory-reviewed. */
export const systemsChecks: readonly ControlTest[] = [];
