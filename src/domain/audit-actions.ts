/** Labels and sentences of the actions on accounts, the organization, people, policies and evidence. */
import {
  type ActionText,
  changed,
  forControl,
  LOGIN_FAILURES,
  num,
  PERSON_FIELDS,
  POLICY_FIELDS,
  quoted,
  ROLE_ARTICLE,
  str,
  USER_FIELDS,
  words,
} from "./audit-words.ts";

export const ACCOUNT_AND_PROGRAM_ACTIONS: Record<string, ActionText> = {
  // Sign-in and accounts
  "auth.login": {
    label: "Signed in",
    sentence: (p) => {
      const factor = str(p.after, "secondFactor");
      if (factor === "recovery_code") return `${p.who} signed in with a recovery code`;
      return factor ? `${p.who} signed in with a second factor` : `${p.who} signed in`;
    },
  },
  "auth.login_failed": {
    label: "Sign-in failed",
    sentence: (p) => {
      const reason = str(p.after, "reason");
      const why = reason ? ` (${LOGIN_FAILURES[reason] ?? words(reason)})` : "";
      return `Someone failed to sign in as ${p.target("a user")}${why}`;
    },
  },
  "auth.sign_in_locked": {
    label: "Sign-in paused",
    sentence: (p) => {
      const failures = num(p.after, "failures");
      const count = failures ? ` after ${failures} failed attempts` : "";
      return `Sign-in as ${p.target("a user")} was paused${count}`;
    },
  },
  "auth.sign_in_unlocked": {
    label: "Sign-in pause lifted",
    sentence: (p) => `${p.who} let ${p.target("a user")} sign in again at once`,
  },
  "auth.logout": { label: "Signed out", sentence: (p) => `${p.who} signed out` },
  "user.password_changed": {
    label: "Password changed",
    sentence: (p) =>
      p.self
        ? `${p.who} changed their password`
        : `${p.who} changed the password of ${p.target("a user")}`,
  },
  "user.invited": {
    label: "User invited",
    sentence: (p) => {
      const email = str(p.after, "email");
      const role = str(p.after, "role");
      return `${p.who} invited ${p.target("a user")}${email ? ` (${email})` : ""}${role ? ` as ${ROLE_ARTICLE[role] ?? role}` : ""}`;
    },
  },
  "user.role_changed": {
    label: "Role changed",
    sentence: (p) => {
      const from = str(p.before, "role");
      const to = str(p.after, "role");
      return `${p.who} changed the role of ${p.target("a user")}${from ? ` from ${from}` : ""}${to ? ` to ${to}` : ""}`;
    },
  },
  "user.updated": {
    label: "User updated",
    sentence: (p) => changed(p, USER_FIELDS, p.target("a user"), ""),
  },
  "user.deactivated": {
    label: "User deactivated",
    sentence: (p) => `${p.who} deactivated the account of ${p.target("a user")}`,
  },
  "user.reactivated": {
    label: "User reactivated",
    sentence: (p) =>
      str(p.after, "status") === "invited"
        ? `${p.who} reactivated the account of ${p.target("a user")}, with a new invitation`
        : `${p.who} reactivated the account of ${p.target("a user")}`,
  },
  "user.invitation_accepted": {
    label: "Invitation accepted",
    sentence: (p) =>
      str(p.after, "via")
        ? `${p.who} accepted the invitation and joined, signing in with ${str(p.after, "via")}`
        : `${p.who} accepted the invitation and joined`,
  },
  "token.created": {
    label: "API token created",
    sentence: (p) => `${p.who} created the API token ${quoted(str(p.after, "name"), "")}`.trim(),
  },
  "token.revoked": {
    label: "API token revoked",
    sentence: (p) => `${p.who} revoked the API token ${quoted(str(p.before, "name"), "")}`.trim(),
  },
  "mfa.enrollment_started": {
    label: "Two-factor setup started",
    sentence: (p) => `${p.who} started setting up two-factor sign-in`,
  },
  "mfa.enabled": {
    label: "Two-factor sign-in turned on",
    sentence: (p) => `${p.who} turned on two-factor sign-in`,
  },
  "mfa.disabled": {
    label: "Two-factor sign-in turned off",
    sentence: (p) =>
      p.self
        ? `${p.who} turned off two-factor sign-in`
        : `${p.who} turned off two-factor sign-in for ${p.target("a user")}`,
  },
  // Organization, controls, people
  "organization.created": {
    label: "Organization set up",
    sentence: (p) => `${p.who} set up the organization ${p.target("")}`.trim(),
  },
  "organization.updated": {
    label: "Organization settings changed",
    sentence: (p) =>
      changed(
        p,
        { name: "name", requireMfa: "two-factor requirement", settings: "monitoring settings" },
        "the organization",
        "the organization's settings",
      ),
  },
  "control.updated": {
    label: "Control changed",
    sentence: (p) =>
      changed(
        p,
        { ownerId: "owner", criteria: "criteria mapping" },
        `the control ${p.target("")}`.trim(),
        "",
      ),
  },
  "person.created": {
    label: "Person added",
    sentence: (p) => `${p.who} added ${p.target("a person")} to the people list`,
  },
  "person.updated": {
    label: "Person changed",
    sentence: (p) => changed(p, PERSON_FIELDS, p.target("a person"), ""),
  },
  // Policies
  "policy.created": {
    label: "Policy created",
    sentence: (p) =>
      `${p.who} created the policy ${p.target("")}${str(p.after, "templateKey") ? " from a template" : ""}`,
  },
  "policy.updated": {
    label: "Policy settings changed",
    sentence: (p) => changed(p, POLICY_FIELDS, p.target("a policy"), ""),
  },
  "policy.draft_saved": {
    label: "Policy draft saved",
    sentence: (p) => `${p.who} saved the draft of ${p.version()}`,
  },
  "policy.submitted": {
    label: "Policy submitted for approval",
    sentence: (p) => `${p.who} submitted ${p.version()} for approval`,
  },
  "policy.rejected": {
    label: "Policy sent back to draft",
    sentence: (p) => {
      const reason = str(p.after, "reason");
      return `${p.who} sent ${p.version()} back to draft${reason ? `: “${reason}”` : ""}`;
    },
  },
  "policy.published": {
    label: "Policy approved and published",
    sentence: (p) => `${p.who} approved and published ${p.version()}`,
  },
  "policy.reviewed": {
    label: "Policy reviewed",
    sentence: (p) => `${p.who} reviewed ${p.version()} and approved it unchanged`,
  },
  "policy.retired": {
    label: "Policy retired",
    sentence: (p) => `${p.who} retired ${p.target("a policy")}`,
  },
  "policy.acknowledged": {
    label: "Policy acknowledged",
    sentence: (p) => `${p.who} acknowledged ${p.version()}`,
  },
  // Evidence
  "evidence.uploaded": {
    label: "Evidence file uploaded",
    sentence: (p) => `${p.who} uploaded the evidence file ${p.target("")}${forControl(p)}`,
  },
  "evidence.linked": {
    label: "Evidence link added",
    sentence: (p) => `${p.who} added the evidence link ${p.target("")}${forControl(p)}`,
  },
  "evidence.downloaded": {
    label: "Evidence downloaded",
    sentence: (p) => `${p.who} downloaded the evidence file ${p.target("")}`,
  },
  "evidence.integrity_failed": {
    label: "Evidence failed its integrity check",
    sentence: (p) =>
      `${p.who} asked for the evidence file ${p.target("")}, which failed its integrity check`,
  },
  "evidence.deleted": {
    label: "Evidence deleted",
    sentence: (p) => `${p.who} deleted the evidence ${p.target("")}`,
  },
};
