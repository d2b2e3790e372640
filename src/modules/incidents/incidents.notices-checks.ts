import type { ControlTest } from "../monitoring/registry.ts";

/** critical-information-communication: customers-notified. */
export const noticeChecks: readonly ControlTest[] = [];
