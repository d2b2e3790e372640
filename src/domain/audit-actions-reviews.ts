/** Labels and sentences of the actions on access reviews (issue 12). */
import type { ActionText } from "./audit-words.ts";

export const REVIEW_ACTIONS: Record<string, ActionText> = {};
