/** Labels and sentences of the actions on findings (issue 13). */
import type { ActionText } from "./audit-words.ts";
import { str } from "./audit-words.ts";

function untilText(p: { after: Record<string, unknown> }): string {
  const until = str(p.after, "expiresAt");
  return until ? ` until ${until.slice(0, 10)}` : "";
}

export const FINDINGS_ACTIONS: Record<string, ActionText> = {
  "finding.assigned": {
    label: "Finding assigned",
    sentence: (p) => {
      const name = str(p.after, "assigneeName");
      return name
        ? `${p.who} assigned ${p.target("a finding")} to ${name}`
        : `${p.who} unassigned ${p.target("a finding")}`;
    },
  },
  "finding.commented": {
    label: "Finding commented on",
    sentence: (p) => `${p.who} commented on ${p.target("a finding")}`,
  },
  "finding.false_positive": {
    label: "Finding marked false positive",
    sentence: (p) => `${p.who} marked ${p.target("a finding")} as a false positive`,
  },
  "finding.reopened": {
    label: "Finding reopened",
    sentence: (p) => `${p.who} reopened ${p.target("a finding")}`,
  },
  "risk_acceptance.requested": {
    label: "Risk acceptance requested",
    sentence: (p) => `${p.who} asked to accept the risk of ${p.target("a finding")}${untilText(p)}`,
  },
  "risk_acceptance.approved": {
    label: "Risk acceptance approved",
    sentence: (p) =>
      `${p.who} approved accepting the risk of ${p.target("a finding")}${untilText(p)}`,
  },
  "risk_acceptance.rejected": {
    label: "Risk acceptance rejected",
    sentence: (p) => `${p.who} rejected accepting the risk of ${p.target("a finding")}`,
  },
  "risk_acceptance.revoked": {
    label: "Risk acceptance revoked",
    sentence: (p) => `${p.who} revoked the risk acceptance of ${p.target("a finding")}`,
  },
  "risk_acceptance.expired": {
    label: "Risk acceptance expired",
    sentence: (p) =>
      `The risk acceptance of ${p.target("a finding")} expired; the finding is open again`,
  },
};
