/** Labels and sentences of the actions on lessons learned, action items, incident notices and exports (issue 14). */
import type { ActionText } from "./audit-words.ts";

export const LESSONS_ACTIONS: Record<string, ActionText> = {};
