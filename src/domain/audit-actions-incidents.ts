/** Labels and sentences of the actions on incidents and their timelines (issue 14). */
import type { ActionText } from "./audit-words.ts";

export const INCIDENTS_ACTIONS: Record<string, ActionText> = {};
