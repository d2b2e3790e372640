/**
 * What each role may do: the single source of truth. Routes name one permission; the HTTP
 * layer checks it before validation, and a test walks every route with every role against
 * this table.
 */
export const ROLES = ["owner", "admin", "editor", "member", "auditor"] as const;
export type Role = (typeof ROLES)[number];

const everyone: readonly Role[] = ROLES;

export const PERMISSIONS = {
  /** Read the control catalog, statuses and results. */
  "controls.read": everyone,
  /** Assign control owners and edit the criteria mapping. */
  "controls.update": ["owner", "admin"],
  /** See the people who use Attest and their roles. */
  "users.read": ["owner", "admin", "editor", "auditor"],
  /** Invite people, change roles, deactivate accounts (owner-only rules apply on top). */
  "users.manage": ["owner", "admin"],
  /** See the people list (everyone policies apply to). */
  "people.read": ["owner", "admin", "editor", "auditor"],
  /** Add people and change their job role, start and end dates. */
  "people.manage": ["owner", "admin"],
  /** See the inventory of systems and its sign-offs. */
  "systems.read": ["owner", "admin", "editor", "auditor"],
  /** Add, change and archive systems; sign off the inventory (owner-only rules apply on top). */
  "systems.manage": ["owner", "admin"],
  /** See accounts, grants, role rules, access requests and access tasks. */
  "access.read": ["owner", "admin", "editor", "auditor"],
  /**
   * Change access: grants, accounts, role rules, exceptions, imports. System owners act on
   * their own systems' tasks and requests whatever their role (access.rules.ts).
   */
  "access.manage": ["owner", "admin"],
  /**
   * Work one's own access: ask for access for oneself (or one's reports), see one's requests
   * and the tasks assigned to oneself; approving and carrying out is for the system's owner.
   */
  "access.self": ["owner", "admin", "editor", "member"],
  /** See findings (scanners' and pentests'), scan imports, pentests and risk acceptances. */
  "vulnerabilities.read": ["owner", "admin", "editor", "auditor"],
  /**
   * Import scans, record pentests and their findings, triage findings (assign, comment, mark
   * false positive, reopen) and ask for a risk acceptance.
   */
  "vulnerabilities.manage": ["owner", "admin", "editor"],
  /** Approve or reject a risk acceptance someone else asked for (vulnerabilities.rules.ts). */
  "vulnerabilities.approve": ["owner", "admin"],
  /**
   * Declare an incident (or one from a confidential report one handles: incidents.rules.ts),
   * see the incidents one declared, complete one's own action items.
   */
  "incidents.declare": ["owner", "admin", "editor", "member"],
  /** Read the lessons learned shared with the team (approved ones). */
  "incidents.lessons": everyone,
  /** See incidents, their timelines, lessons learned, exercises of the plan; export them. */
  "incidents.read": ["owner", "admin", "editor", "auditor"],
  /**
   * Triage and work incidents (status, severity, owner, timeline, attachments), write lessons
   * learned and action items, record exercises of the Incident Response Plan.
   */
  "incidents.manage": ["owner", "admin", "editor"],
  /** Approve lessons learned someone else wrote (incidents.rules.ts), share them with the team. */
  "incidents.approve": ["owner", "admin"],
  /** See restore tests of backups and which backed-up systems are due one. */
  "continuity.read": ["owner", "admin", "editor", "auditor"],
  /** Record restore tests (with integrity checks and evidence) and withdraw wrong ones. */
  "continuity.manage": ["owner", "admin", "editor"],
  /** See the key registry, key rotations and encryption at rest of the data stores. */
  "encryption.read": ["owner", "admin", "editor", "auditor"],
  /** Register, edit and archive keys, record rotations, confirm encryption at rest. */
  "encryption.manage": ["owner", "admin", "editor"],
  /** See customers, their retention terms, data stores and disposals; export certificates. */
  "customers.read": ["owner", "admin", "editor", "auditor"],
  /** Add and import customers, change their terms and data stores, record disposals. */
  "customers.manage": ["owner", "admin", "editor"],
  // issue 15: endpoints
  /** See the internet-facing endpoints and their TLS probes. */
  "endpoints.read": ["owner", "admin", "editor", "auditor"],
  /** Register, change and archive endpoints; probe them now. */
  "endpoints.manage": ["owner", "admin", "editor"],
  /** Read policies and their versions. */
  "policies.read": everyone,
  /** Create policies, edit drafts, submit them for approval, set audience and visibility. */
  "policies.manage": ["owner", "admin", "editor"],
  /** Approve, publish, re-approve (review) and retire policies. */
  "policies.approve": ["owner", "admin"],
  /** Acknowledge the policies that apply to oneself. */
  "policies.acknowledge": ["owner", "admin", "editor", "member"],
  /** Read the organization's settings. */
  "organization.read": everyone,
  /** Change the organization's settings (name, MFA requirement). */
  "organization.update": ["owner", "admin"],
  /**
   * Configure single sign-on: the identity provider, who may sign in through it, the group →
   * role mapping and whether password sign-in stays open to non-owners (owners only: it
   * decides who gets an account and with which role).
   */
  "sso.manage": ["owner"],
  /** Read the audit trail. */
  "audit.read": ["owner", "admin", "auditor"],
  /** List, read and download evidence files and links (members do not see evidence). */
  "evidence.read": ["owner", "admin", "editor", "auditor"],
  /** Upload evidence files, add evidence links, delete evidence. */
  "evidence.manage": ["owner", "admin", "editor"],
  /** See the trust center's settings, documents, access requests and the document access log. */
  "trust.read": ["owner", "admin", "editor", "auditor"],
  /** Edit and publish the trust center, manage its documents, approve or deny access requests. */
  "trust.manage": ["owner", "admin"],
  /** Read notices to external parties, drafts included, and their delivery. */
  "notices.read": ["owner", "admin", "editor", "auditor"],
  /** Write, publish and update notices; see and remove subscribers. */
  "notices.manage": ["owner", "admin"],
  /**
   * Handle confidential reports: read them (every read is audited), reply, change their state.
   * Only the people the organization designates as handlers use it, whatever their role.
   */
  "reports.handle": ["owner", "admin"],
  // issue 16: scim
  /** See, create and revoke the organization's SCIM provisioning tokens. */
  "scim.manage": ["owner"],
  /** Create and revoke one's own API tokens. */
  "tokens.manage": everyone,
  /** Manage one's own account: password, MFA. */
  "account.self": everyone,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(role, p));
}

/** Roles that only an owner may hand out or take away. */
export function isOwnerOnlyRole(role: Role): boolean {
  return role === "owner";
}

/** Auditors are time-boxed: their access must end on a set date. */
export function requiresAccessExpiry(role: Role): boolean {
  return role === "auditor";
}
