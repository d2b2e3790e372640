/** Labels and sentences of the actions on lessons learned, action items, incident notices and exports (issue 14). */
import type { ActionText } from "./audit-words.ts";

export const LESSONS_ACTIONS: Record<string, ActionText> = {
  // issue 14: notices and export
  "incident.exported": {
    label: "Incident exported",
    sentence: (p) => `${p.who} exported the incident ${p.target("")} as a PDF`,
  },
};
