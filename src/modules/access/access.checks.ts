import type { ControlTest } from "../monitoring/registry.ts";

/**
 * The grant and account checks (CONTROLS.md): customer-data-need-to-know,
 * admin-grants-approved, grants-justified, accounts-unique.
 */
export const accessChecks: readonly ControlTest[] = [];
