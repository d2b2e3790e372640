/** Labels and sentences of the actions on people's lifecycle, the inventory and access. */
import { type ActionText, changed, num, plural, quoted, str } from "./audit-words.ts";

const SYSTEM_FIELDS = {
  name: "name",
  kind: "kind",
  description: "description",
  ownerId: "owner",
  production: "production flag",
  classification: "data classification",
  customerData: "customer data flag",
  backedUp: "backup flag",
  scanned: "scanning flag",
  internetFacing: "internet-facing flag",
  allowedRoles: "allowed job roles",
  adminRoles: "admin job roles",
  reviewPeriodDays: "access review period",
};

const ACCOUNT_FIELDS = {
  username: "username",
  personId: "person",
  service: "service account flag",
  shared: "shared flag",
  email: "email address",
};

function counted(p: { after: Record<string, unknown> }, key: string, one: string): string | null {
  const n = num(p.after, key);
  return n === null ? null : plural(n, one);
}

export const ACCESS_ACTIONS: Record<string, ActionText> = {
  // People's lifecycle
  "person.offboarded": {
    label: "Person offboarded",
    sentence: (p) => {
      const end = str(p.after, "endDate");
      return `${p.who} offboarded ${p.target("a person")}${end ? ` as of ${end}` : ""}`;
    },
  },
  "person.deleted": {
    label: "Person removed",
    sentence: (p) => `${p.who} removed ${p.target("a person")} from the people list`,
  },
  "people_import.committed": {
    label: "People imported",
    sentence: (p) => {
      const created = num(p.after, "created");
      const updated = num(p.after, "updated");
      const parts = [
        created === null ? null : `${created} added`,
        updated === null ? null : `${updated} changed`,
      ]
        .filter(Boolean)
        .join(", ");
      return `${p.who} imported the people list${parts ? ` (${parts})` : ""}`;
    },
  },
  // The inventory
  "system.created": {
    label: "System added",
    sentence: (p) => `${p.who} added ${p.target("a system")} to the inventory`,
  },
  "system.updated": {
    label: "System changed",
    sentence: (p) => changed(p, SYSTEM_FIELDS, p.target("a system"), ""),
  },
  "system.archived": {
    label: "System archived",
    sentence: (p) => `${p.who} archived ${p.target("a system")}`,
  },
  "system.restored": {
    label: "System restored",
    sentence: (p) => `${p.who} restored ${p.target("a system")} to the inventory`,
  },
  "system.deleted": {
    label: "System deleted",
    sentence: (p) => `${p.who} deleted ${p.target("a system")} from the inventory`,
  },
  "inventory.signed_off": {
    label: "Inventory signed off",
    sentence: (p) => {
      const count = counted(p, "systemCount", "system");
      return `${p.who} signed off the inventory${count ? ` of ${count}` : ""}`;
    },
  },
  // Role rules
  "role_rule.created": {
    label: "Role rule added",
    sentence: (p) =>
      `${p.who} added a role rule: ${quoted(str(p.after, "jobRole"), "a job role")} implies ${quoted(str(p.after, "systemRole"), "a system role")}`,
  },
  "role_rule.removed": {
    label: "Role rule removed",
    sentence: (p) => `${p.who} removed the role rule ${p.target("")}`.trimEnd(),
  },
  // Grants
  "access_grant.created": {
    label: "Access recorded",
    sentence: (p) => `${p.who} recorded ${p.target("a grant of access")}`,
  },
  "access_grant.granted": {
    label: "Access given",
    sentence: (p) => `${p.who} confirmed ${p.target("a grant of access")} was carried out`,
  },
  "access_grant.revoked": {
    label: "Access revoked",
    sentence: (p) => {
      const reason = str(p.after, "reason");
      return `${p.who} revoked ${p.target("a grant of access")}${reason ? ` (${reason})` : ""}`;
    },
  },
  "access_grant.cancelled": {
    label: "Pending access cancelled",
    sentence: (p) => `${p.who} cancelled ${p.target("a grant of access")} before it was given`,
  },
  "access_grant.exception_approved": {
    label: "Access exception approved",
    sentence: (p) => {
      const until = str(p.after, "expiresAt");
      return `${p.who} approved an exception for ${p.target("a grant of access")}${until ? ` until ${until.slice(0, 10)}` : ""}`;
    },
  },
  // Accounts
  "account.created": {
    label: "Account added",
    sentence: (p) => `${p.who} added the account ${p.target("")}`.trimEnd(),
  },
  "account.updated": {
    label: "Account changed",
    sentence: (p) => changed(p, ACCOUNT_FIELDS, `the account ${p.target("")}`.trimEnd(), ""),
  },
  "account.removed": {
    label: "Account removed",
    sentence: (p) => `${p.who} removed the account ${p.target("")}`.trimEnd(),
  },
  "access.imported": {
    label: "Accounts imported",
    sentence: (p) => `${p.who} imported a system's user export`,
  },
  // Access requests and tasks
  "access_request.created": {
    label: "Access requested",
    sentence: (p) => `${p.who} asked for ${p.target("access")}`,
  },
  "access_request.approved": {
    label: "Access request approved",
    sentence: (p) => `${p.who} approved the request for ${p.target("access")}`,
  },
  "access_request.denied": {
    label: "Access request denied",
    sentence: (p) => `${p.who} denied the request for ${p.target("access")}`,
  },
  "access_request.cancelled": {
    label: "Access request cancelled",
    sentence: (p) => `${p.who} cancelled the request for ${p.target("access")}`,
  },
  "access_task.opened": {
    label: "Access task opened",
    sentence: (p) => `${p.who} opened the task ${p.target("")}`.trimEnd(),
  },
  "access_task.completed": {
    label: "Access task done",
    sentence: (p) => `${p.who} carried out the task ${p.target("")}`.trimEnd(),
  },
  "access_task.cancelled": {
    label: "Access task cancelled",
    sentence: (p) => {
      const reason = str(p.after, "reason");
      return `${p.who} cancelled the task ${p.target("")}${reason ? ` (${reason})` : ""}`;
    },
  },
  "access_task.leaver_cancelled": {
    label: "Leaver's task cancelled",
    sentence: (p) =>
      `The task ${p.target("")} was cancelled: the person's end date was cleared or moved`,
  },
};
