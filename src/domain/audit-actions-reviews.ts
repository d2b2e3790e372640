/** Labels and sentences of the actions on access reviews (issue 12). */
import { type ActionText, num, str } from "./audit-words.ts";

function items(count: number | null): string {
  return count === null ? "items" : `${count} item${count === 1 ? "" : "s"}`;
}

export const REVIEW_ACTIONS: Record<string, ActionText> = {
  "access_review.started": {
    label: "Access review started",
    sentence: (p) => {
      const count = num(p.after, "items");
      const how = p.after.scheduled === true ? " on schedule" : "";
      return `${p.who} started the access review ${p.target("")}${how} (${items(count)})`;
    },
  },
  "access_review.decided": {
    label: "Access review decisions",
    sentence: (p) => {
      const decision = str(p.after, "decision") === "revoke" ? "revoke" : "keep";
      const comment = str(p.after, "comment");
      return `${p.who} decided ${decision} on ${items(num(p.after, "count"))} of ${p.target("an access review")}${comment ? ` (“${comment}”)` : ""}`;
    },
  },
  "access_review.reassigned": {
    label: "Access review items reassigned",
    sentence: (p) => {
      const to = str(p.after, "reviewerName");
      return `${p.who} gave ${items(num(p.after, "count"))} of ${p.target("an access review")} to ${to ?? "another reviewer"}`;
    },
  },
  "access_review.completed": {
    label: "Access review complete",
    sentence: (p) => `Every item of ${p.target("an access review")} was decided`,
  },
  "access_review.cancelled": {
    label: "Access review cancelled",
    sentence: (p) => {
      const reason = str(p.after, "reason");
      return `${p.who} cancelled ${p.target("an access review")}${reason ? ` (${reason})` : ""}`;
    },
  },
  "access_review.signed_off": {
    label: "Access review signed off",
    sentence: (p) =>
      `${p.who} signed off ${p.target("an access review")}${str(p.after, "evidenceId") ? "; its record was filed as evidence" : ""}`,
  },
};
