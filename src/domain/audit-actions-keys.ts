/** Labels and sentences of the actions on access keys and host listings (issue 12). */
import type { ActionText } from "./audit-words.ts";

export const KEY_ACTIONS: Record<string, ActionText> = {};
