import type { ReactNode } from "react";
import { Navigate, Route, Routes } from "react-router";
import { AppLayout } from "./components/AppLayout";
import {
  RedirectIfSignedIn,
  RequirePermission,
  RequireSession,
  SetupGate,
} from "./components/Guards";
import { AccountPage } from "./pages/AccountPage";
import { AuditLogPage } from "./pages/AuditLogPage";
import { ComingSoonPage, comingSoonAreas } from "./pages/ComingSoonPage";
import { ControlDetailPage } from "./pages/ControlDetailPage";
import { ControlsPage } from "./pages/ControlsPage";
import { DashboardPage } from "./pages/DashboardPage";
import { EvidencePage } from "./pages/EvidencePage";
import { InvitePage } from "./pages/InvitePage";
import { LoginPage } from "./pages/LoginPage";
import { MonitoringSettingsPage } from "./pages/MonitoringSettingsPage";
import { MyPoliciesPage } from "./pages/MyPoliciesPage";
import { MyPolicyPage } from "./pages/MyPolicyPage";
import { NewPolicyPage } from "./pages/NewPolicyPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { NoticePage } from "./pages/NoticePage";
import { NoticesPage } from "./pages/NoticesPage";
import { OrganizationPage } from "./pages/OrganizationPage";
import { PeoplePage } from "./pages/PeoplePage";
import { PersonPage } from "./pages/PersonPage";
import { PoliciesPage } from "./pages/PoliciesPage";
import { PolicyPage } from "./pages/PolicyPage";
import { ReportPage } from "./pages/ReportPage";
import { ReportsPage } from "./pages/ReportsPage";
import { SetupPage } from "./pages/SetupPage";
import { TrustCenterPage } from "./pages/TrustCenterPage";
import { TrustDocumentsPage } from "./pages/TrustDocumentsPage";
import { TrustRequestsPage } from "./pages/TrustRequestsPage";
import { UsersPage } from "./pages/UsersPage";
import type { Permission } from "./types";

/** Signed-in pages and the permission each needs. */
const guarded: { path: string; permission: Permission; page: ReactNode }[] = [
  { path: "/controls", permission: "controls.read", page: <ControlsPage /> },
  { path: "/controls/:key", permission: "controls.read", page: <ControlDetailPage /> },
  { path: "/policies", permission: "policies.read", page: <PoliciesPage /> },
  { path: "/policies/new", permission: "policies.manage", page: <NewPolicyPage /> },
  { path: "/policies/:id", permission: "policies.read", page: <PolicyPage /> },
  { path: "/my/policies", permission: "policies.acknowledge", page: <MyPoliciesPage /> },
  { path: "/my/policies/:id", permission: "policies.acknowledge", page: <MyPolicyPage /> },
  { path: "/people", permission: "people.read", page: <PeoplePage /> },
  { path: "/people/:id", permission: "people.read", page: <PersonPage /> },
  { path: "/settings/users", permission: "users.read", page: <UsersPage /> },
  { path: "/settings/organization", permission: "organization.update", page: <OrganizationPage /> },
  {
    path: "/settings/monitoring",
    permission: "organization.update",
    page: <MonitoringSettingsPage />,
  },
  { path: "/audit", permission: "audit.read", page: <AuditLogPage /> },
  { path: "/evidence", permission: "evidence.read", page: <EvidencePage /> },
  { path: "/trust-center", permission: "trust.read", page: <TrustCenterPage /> },
  { path: "/trust-center/documents", permission: "trust.read", page: <TrustDocumentsPage /> },
  { path: "/trust-center/requests", permission: "trust.read", page: <TrustRequestsPage /> },
  { path: "/notices", permission: "notices.read", page: <NoticesPage /> },
  { path: "/notices/:id", permission: "notices.read", page: <NoticePage /> },
  { path: "/reports", permission: "reports.handle", page: <ReportsPage /> },
  { path: "/reports/:id", permission: "reports.handle", page: <ReportPage /> },
];

export function App() {
  return (
    <Routes>
      <Route element={<SetupGate />}>
        <Route path="/setup" element={<SetupPage />} />
        <Route
          path="/login"
          element={
            <RedirectIfSignedIn>
              <LoginPage />
            </RedirectIfSignedIn>
          }
        />
        <Route path="/invite/:token" element={<InvitePage />} />
        <Route element={<RequireSession />}>
          <Route element={<AppLayout />}>
            <Route index element={<DashboardPage />} />
            <Route path="/settings" element={<Navigate to="/settings/users" replace />} />
            {guarded.map(({ path, permission, page }) => (
              <Route
                key={path}
                path={path}
                element={<RequirePermission permission={permission}>{page}</RequirePermission>}
              />
            ))}
            <Route path="/account" element={<AccountPage />} />
            {comingSoonAreas.map((area) => (
              <Route key={area.path} path={area.path} element={<ComingSoonPage area={area} />} />
            ))}
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Route>
      </Route>
    </Routes>
  );
}
