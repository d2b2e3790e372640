/** Labels and sentences of the actions of SCIM provisioning and its tokens (issue 16). */
import { type ActionText, num, str } from "./audit-words.ts";

export const SCIM_ACTIONS: Record<string, ActionText> = {
  "scim_token.created": {
    label: "SCIM token created",
    sentence: (p) => `${p.who} created the SCIM token ${p.target("")}`.trimEnd(),
  },
  "scim_token.revoked": {
    label: "SCIM token revoked",
    sentence: (p) => `${p.who} revoked the SCIM token ${p.target("")}`.trimEnd(),
  },
  "scim_user.provisioned": {
    label: "Person provisioned by SCIM",
    sentence: (p) => {
      const userName = str(p.after, "userName");
      return `${p.who} provisioned ${p.target("a person")}${userName ? ` as ${userName}` : ""}`;
    },
  },
  "scim_user.updated": {
    label: "Person changed by SCIM",
    sentence: (p) => {
      const was = p.before.active;
      const now = p.after.active;
      if (was === true && now === false) return `${p.who} deactivated ${p.target("a person")}`;
      if (was === false && now === true) return `${p.who} reactivated ${p.target("a person")}`;
      return `${p.who} updated ${p.target("a person")}`;
    },
  },
  "scim_user.deprovisioned": {
    label: "Person deleted by SCIM",
    sentence: (p) => `${p.who} deleted the SCIM user of ${p.target("a person")} (the person stays)`,
  },
  "scim_group.created": {
    label: "SCIM group created",
    sentence: (p) => {
      const members = num(p.after, "members");
      return `${p.who} created the group ${p.target("")}${members ? ` with ${members} members` : ""}`;
    },
  },
  "scim_group.updated": {
    label: "SCIM group changed",
    sentence: (p) => {
      const added = num(p.after, "membersAdded") ?? 0;
      const removed = num(p.after, "membersRemoved") ?? 0;
      const parts = [added ? `added ${added}` : "", removed ? `removed ${removed}` : ""].filter(
        Boolean,
      );
      const renamed =
        str(p.before, "displayName") !== str(p.after, "displayName")
          ? ` (renamed from ${str(p.before, "displayName")})`
          : "";
      return `${p.who} changed the group ${p.target("")}${renamed}${parts.length ? `: ${parts.join(", ")} members` : ""}`;
    },
  },
  "scim_group.job_role_set": {
    label: "SCIM group's job role set",
    sentence: (p) => {
      const role = str(p.after, "jobRole");
      return role
        ? `${p.who} set the job role of the group ${p.target("")} to ${role}`
        : `${p.who} made the group ${p.target("")} give its own name as job role`;
    },
  },
  "scim_group.deleted": {
    label: "SCIM group deleted",
    sentence: (p) => `${p.who} deleted the group ${str(p.before, "displayName") ?? p.target("")}`,
  },
  "user.created_by_scim": {
    label: "Account created by SCIM",
    sentence: (p) => {
      const email = str(p.after, "email");
      const role = str(p.after, "role");
      return `${p.who} created the account ${p.target("a user")}${email ? ` (${email})` : ""}${role ? ` as ${role}` : ""} for single sign-on`;
    },
  },
};
