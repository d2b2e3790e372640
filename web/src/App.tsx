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
import { InvitePage } from "./pages/InvitePage";
import { LoginPage } from "./pages/LoginPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { OrganizationPage } from "./pages/OrganizationPage";
import { SetupPage } from "./pages/SetupPage";
import { UsersPage } from "./pages/UsersPage";

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
            <Route
              path="/controls"
              element={
                <RequirePermission permission="controls.read">
                  <ControlsPage />
                </RequirePermission>
              }
            />
            <Route
              path="/controls/:key"
              element={
                <RequirePermission permission="controls.read">
                  <ControlDetailPage />
                </RequirePermission>
              }
            />
            <Route path="/settings" element={<Navigate to="/settings/users" replace />} />
            <Route
              path="/settings/users"
              element={
                <RequirePermission permission="users.read">
                  <UsersPage />
                </RequirePermission>
              }
            />
            <Route
              path="/settings/organization"
              element={
                <RequirePermission permission="organization.update">
                  <OrganizationPage />
                </RequirePermission>
              }
            />
            <Route
              path="/audit"
              element={
                <RequirePermission permission="audit.read">
                  <AuditLogPage />
                </RequirePermission>
              }
            />
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
