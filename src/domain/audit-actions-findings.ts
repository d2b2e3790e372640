/** Labels and sentences of the actions on findings (issue 13). */
import type { ActionText } from "./audit-words.ts";

export const FINDINGS_ACTIONS: Record<string, ActionText> = {};
