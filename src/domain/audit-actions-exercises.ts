/** Labels and sentences of the actions on exercises of the Incident Response Plan and their outcomes (issue 14). */
import { type ActionText, changed, num, plural, quoted, str } from "./audit-words.ts";

const EXERCISE_FIELDS = {
  title: "title",
  scenario: "scenario",
  heldOn: "date",
  facilitatorId: "facilitator",
};

export const EXERCISES_ACTIONS: Record<string, ActionText> = {
  "ir_exercise.created": {
    label: "Plan exercise recorded",
    sentence: (p) =>
      str(p.after, "kind") === "incident"
        ? `${p.who} marked a real incident as a test of the Incident Response Plan: ${p.target("an exercise")}`
        : `${p.who} planned the tabletop exercise ${p.target("")} for ${str(p.after, "heldOn") ?? "a day"}`,
  },
  "ir_exercise.updated": {
    label: "Plan exercise changed",
    sentence: (p) => changed(p, EXERCISE_FIELDS, p.target("an exercise of the plan"), ""),
  },
  "ir_exercise.participants_set": {
    label: "Exercise participants recorded",
    sentence: (p) =>
      `${p.who} recorded ${plural(num(p.after, "participants") ?? 0, "participant")} of ${p.target("an exercise of the plan")}, ${num(p.after, "attended") ?? 0} attending`,
  },
  "ir_exercise.outcome_added": {
    label: "Exercise outcome recorded",
    sentence: (p) =>
      `${p.who} recorded the outcome ${quoted(str(p.after, "description"), "")} of ${p.target("an exercise of the plan")}${p.after.requiresPlanChange === true ? ", calling for a change of the plan" : ""}`,
  },
  "ir_exercise.completed": {
    label: "Plan exercise completed",
    sentence: (p) => `${p.who} completed ${p.target("an exercise of the plan")}`,
  },
  "ir_exercise.outcome_linked": {
    label: "Exercise outcome linked to the plan",
    sentence: (p) =>
      `${p.who} linked the outcome ${quoted(str(p.after, "description"), "")} of ${p.target("an exercise of the plan")} to version ${num(p.after, "version") ?? "?"} of the Incident Response Plan`,
  },
  "ir_exercise.outcome_closed": {
    label: "Exercise outcome closed",
    sentence: (p) =>
      `${p.who} closed the outcome ${quoted(str(p.after, "description"), "")} of ${p.target("an exercise of the plan")} without a change of the plan: ${str(p.after, "reason") ?? ""}`,
  },
};
