/** Labels and sentences of the actions on scans (issue 13). */
import type { ActionText } from "./audit-words.ts";

export const SCANS_ACTIONS: Record<string, ActionText> = {};
