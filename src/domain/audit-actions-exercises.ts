/** Labels and sentences of the actions on exercises of the Incident Response Plan and their outcomes (issue 14). */
import type { ActionText } from "./audit-words.ts";

export const EXERCISES_ACTIONS: Record<string, ActionText> = {};
