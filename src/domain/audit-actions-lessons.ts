/** Labels and sentences of the actions on lessons learned, action items, incident notices and exports (issue 14). */
import type { ActionText } from "./audit-words.ts";
import { num, str } from "./audit-words.ts";

// issue 14: lessons
const LESSONS_LEARNED_ACTIONS: Record<string, ActionText> = {
  "incident_lessons.written": {
    label: "Lessons learned written",
    sentence: (p) => `${p.who} wrote ${p.target("the lessons learned of an incident")}`,
  },
  "incident_lessons.updated": {
    label: "Lessons learned edited",
    sentence: (p) => `${p.who} edited ${p.target("the lessons learned of an incident")}`,
  },
  "incident_lessons.submitted": {
    label: "Lessons learned submitted",
    sentence: (p) =>
      `${p.who} submitted ${p.target("the lessons learned of an incident")} for approval`,
  },
  "incident_lessons.approved": {
    label: "Lessons learned approved and shared",
    sentence: (p) => {
      const team = num(p.after, "sharedWith");
      return `${p.who} approved ${p.target("the lessons learned of an incident")} and shared them with the team${team === null ? "" : ` (${team} people)`}`;
    },
  },
  "incident_action_item.created": {
    label: "Action item added",
    sentence: (p) => `${p.who} added the action item ${p.target("of an incident")}`,
  },
  "incident_action_item.updated": {
    label: "Action item changed",
    sentence: (p) => `${p.who} changed the action item ${p.target("of an incident")}`,
  },
  "incident_action_item.completed": {
    label: "Action item completed",
    sentence: (p) => {
      const note = str(p.after, "note");
      return `${p.who} completed the action item ${p.target("of an incident")}${note ? `: ${note}` : ""}`;
    },
  },
};

export const LESSONS_ACTIONS: Record<string, ActionText> = {
  // issue 14: lessons
  ...LESSONS_LEARNED_ACTIONS,
  // issue 14: notices and export
  "incident.exported": {
    label: "Incident exported",
    sentence: (p) => `${p.who} exported the incident ${p.target("")} as a PDF`,
  },
};
