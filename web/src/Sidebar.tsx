// The primary navigation. Items the user has no permission for are not shown.
import { NavLink } from "react-router";
import { useAssignedItems } from "./areas/access-reviews/access-reviews.queries";
import { useMyPolicies } from "./areas/policies/queries";
// issue 13: findings
import { useAcceptances } from "./areas/vulnerabilities/findings.queries";
import { Icon, type IconName } from "./ui/Icon";
import type { Permission } from "./ui/schema";
import { useCan, useSession, useSignOut } from "./ui/session";

interface NavItem {
  to: string;
  label: string;
  icon: IconName;
  permission?: Permission;
  end?: boolean;
  /** Shows how many of my policies await acknowledgement, or of my review items a decision. */
  pendingCount?: "policies" | "reviews" | "acceptances";
}

const sections: { label: string; items: NavItem[] }[] = [
  {
    label: "Program",
    items: [
      { to: "/", label: "Dashboard", icon: "dashboard", end: true },
      {
        to: "/my/policies",
        label: "My policies",
        icon: "acknowledge",
        permission: "policies.acknowledge",
        pendingCount: "policies",
      },
      { to: "/controls", label: "Controls", icon: "controls", permission: "controls.read" },
      { to: "/policies", label: "Policies", icon: "policies", permission: "policies.read" },
      { to: "/people", label: "People", icon: "people", permission: "people.read" },
      { to: "/systems", label: "Systems", icon: "systems", permission: "systems.read" },
      { to: "/access/grants", label: "Access", icon: "access", permission: "access.read" },
      { to: "/access-keys", label: "Keys", icon: "access", permission: "access.read" },
      { to: "/access/tasks", label: "Access tasks", icon: "check", permission: "access.self" },
      {
        to: "/access/reviews",
        label: "Access reviews",
        icon: "audit",
        permission: "access.read",
      },
      {
        to: "/my/access-reviews",
        label: "My access reviews",
        icon: "acknowledge",
        permission: "access.self",
        pendingCount: "reviews",
      },
      {
        to: "/access/requests",
        label: "Request access",
        icon: "requests",
        permission: "access.self",
      },
      // issue 13: findings
      {
        to: "/vulnerabilities",
        label: "Vulnerabilities",
        icon: "vulnerabilities",
        permission: "vulnerabilities.read",
      },
      {
        to: "/vulnerabilities/acceptances",
        label: "Risk acceptances",
        icon: "acknowledge",
        permission: "vulnerabilities.approve",
        pendingCount: "acceptances",
      },
      // issue 13: pentests
      {
        to: "/pentests",
        label: "Pentests",
        icon: "vulnerabilities",
        permission: "vulnerabilities.read",
      },
      // issue 14: incidents (every role declares or reads them)
      { to: "/incidents", label: "Incidents", icon: "incidents" },
      {
        to: "/ir-exercises",
        label: "Plan exercises",
        icon: "incidents",
        permission: "incidents.read",
      },
      {
        to: "/lessons",
        label: "Lessons learned",
        icon: "documents",
        permission: "incidents.lessons",
      },
      {
        to: "/my/action-items",
        label: "My action items",
        icon: "check",
        permission: "incidents.declare",
      },
      // issue 15: encryption
      { to: "/encryption", label: "Encryption", icon: "access", permission: "encryption.read" },
      // issue 15: continuity
      {
        to: "/continuity",
        label: "Restore tests",
        icon: "systems",
        permission: "continuity.read",
      },
      // issue 15: customers
      { to: "/customers", label: "Customers", icon: "people", permission: "customers.read" },
      // issue 15: endpoints
      { to: "/endpoints", label: "Endpoints", icon: "trust", permission: "endpoints.read" },
      { to: "/evidence", label: "Evidence", icon: "evidence", permission: "evidence.read" },
    ],
  },
  {
    label: "Trust and reporting",
    items: [
      {
        to: "/trust-center",
        label: "Trust center",
        icon: "trust",
        permission: "trust.read",
        end: true,
      },
      {
        to: "/trust-center/documents",
        label: "Documents",
        icon: "documents",
        permission: "trust.read",
      },
      {
        to: "/trust-center/requests",
        label: "Access requests",
        icon: "requests",
        permission: "trust.read",
      },
      { to: "/notices", label: "Notices", icon: "notices", permission: "notices.read" },
      { to: "/reports", label: "Reports", icon: "reports", permission: "reports.handle" },
    ],
  },
  {
    label: "Administration",
    items: [
      { to: "/audit", label: "Audit log", icon: "audit", permission: "audit.read" },
      { to: "/settings/users", label: "Users", icon: "users", permission: "users.read" },
      {
        to: "/settings/organization",
        label: "Organization",
        icon: "settings",
        permission: "organization.update",
      },
      {
        to: "/settings/sso",
        label: "Single sign-on",
        icon: "settings",
        permission: "sso.manage",
      },
      {
        to: "/settings/monitoring",
        label: "Monitoring",
        icon: "monitoring",
        permission: "organization.update",
      },
      {
        to: "/settings/scim",
        label: "SCIM provisioning",
        icon: "users",
        permission: "scim.manage",
      },
    ],
  },
];

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return (
    (parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "")
  ).toUpperCase();
}

function Count({ count, what, more }: { count: number; what: string; more?: boolean }) {
  if (count === 0) return null;
  return (
    <span className="nav-count">
      {count}
      {more ? "+" : ""}
      <span className="visually-hidden"> {what}</span>
    </span>
  );
}

function PendingPolicies() {
  const mine = useMyPolicies();
  const pending = (mine.data ?? []).filter((p) => !p.acknowledgedAt).length;
  return <Count count={pending} what="to acknowledge" />;
}

function PendingReviews() {
  const assigned = useAssignedItems();
  const pending = assigned.data?.pages.reduce((n, p) => n + p.items.length, 0) ?? 0;
  return <Count count={pending} more={assigned.hasNextPage} what="to decide" />;
}

// issue 13: findings
function PendingAcceptances() {
  const mine = useAcceptances({ mine: "true" });
  const pending = mine.data?.pages.reduce((n, p) => n + p.items.length, 0) ?? 0;
  return <Count count={pending} more={mine.hasNextPage} what="to decide" />;
}

export function Sidebar({ id, onNavigate }: { id: string; onNavigate: () => void }) {
  const { user, organization } = useSession();
  const can = useCan();
  const signOut = useSignOut();

  return (
    <div className="sidebar-inner" id={id}>
      <div className="sidebar-org" title={organization.name}>
        <span className="sidebar-org-mark" aria-hidden="true">
          {initials(organization.name)}
        </span>
        <span className="sidebar-org-name">{organization.name}</span>
      </div>
      <nav aria-label="Main" className="sidebar-nav">
        {sections.map((section) => {
          const items = section.items.filter((item) => !item.permission || can(item.permission));
          if (items.length === 0) return null;
          // An id holds no spaces: "Trust and reporting" → nav-trust-and-reporting.
          const labelId = `nav-${section.label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
          return (
            <div className="nav-section" key={section.label}>
              <div className="nav-section-label" id={labelId}>
                {section.label}
              </div>
              <ul className="nav-list" aria-labelledby={labelId}>
                {items.map((item) => (
                  <li key={item.to}>
                    <NavLink to={item.to} end={item.end} className="nav-link" onClick={onNavigate}>
                      <Icon name={item.icon} />
                      <span>{item.label}</span>
                      {item.pendingCount === "policies" && <PendingPolicies />}
                      {item.pendingCount === "reviews" && <PendingReviews />}
                      {item.pendingCount === "acceptances" && <PendingAcceptances />}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </nav>
      <div className="sidebar-footer">
        <NavLink to="/account" className="nav-link sidebar-account" onClick={onNavigate}>
          <span className="avatar" aria-hidden="true">
            {initials(user.name)}
          </span>
          <span className="sidebar-account-text">
            <span className="sidebar-account-name">My account</span>
            <span className="sidebar-account-email" aria-hidden="true">
              {user.email}
            </span>
          </span>
        </NavLink>
        <button type="button" className="nav-link nav-button" onClick={() => void signOut()}>
          <Icon name="signOut" />
          <span>Sign out</span>
        </button>
      </div>
    </div>
  );
}
