import { type ComponentType, lazy, type ReactNode, Suspense } from "react";
import { Navigate, Route, Routes } from "react-router";
import { SsoSettingsPage } from "./areas/sso/SsoSettingsPage";
import { ComingSoonPage, comingSoonAreas } from "./ui/ComingSoonPage";
import {
  FullPageLoading,
  RedirectIfSignedIn,
  RequirePermission,
  RequireSession,
  SetupGate,
} from "./ui/Guards";
import type { Permission } from "./ui/schema";

/**
 * A page loaded on first use, in a chunk of its own: the sign-in page downloads only what it
 * needs, and each signed-in page what it adds. The Suspense boundaries are in AppLayout (around
 * the page, so the sidebar stays) and below (around everything else).
 */
function lazyPage<K extends string>(
  load: () => Promise<Record<K, ComponentType>>,
  name: K,
): ComponentType {
  return lazy(async (): Promise<{ default: ComponentType }> => {
    try {
      const module = await load();
      sessionStorage.removeItem(RELOADED_FOR_CHUNK);
      return { default: module[name] };
    } catch (error) {
      // After an upgrade, an open tab asks for chunks of the build it started with, which are
      // gone: load the current build, once.
      if (sessionStorage.getItem(RELOADED_FOR_CHUNK)) throw error;
      sessionStorage.setItem(RELOADED_FOR_CHUNK, "1");
      window.location.reload();
      return new Promise(() => undefined);
    }
  });
}

const RELOADED_FOR_CHUNK = "attest.reloadedForChunk";

const AppLayout = lazyPage(() => import("./AppLayout"), "AppLayout");
// issue 13: findings
const FindingsPage = lazyPage(() => import("./areas/vulnerabilities/FindingsPage"), "FindingsPage");
const FindingPage = lazyPage(() => import("./areas/vulnerabilities/FindingPage"), "FindingPage");
const AcceptancesPage = lazyPage(
  () => import("./areas/vulnerabilities/AcceptancesPage"),
  "AcceptancesPage",
);
const AccessImportPage = lazyPage(
  () => import("./areas/access/AccessImportPage"),
  "AccessImportPage",
);
const AccessRequestPage = lazyPage(() => import("./areas/access/RequestPage"), "RequestPage");
const AccessRequestsPage = lazyPage(() => import("./areas/access/RequestsPage"), "RequestsPage");
const AccessReviewPage = lazyPage(
  () => import("./areas/access-reviews/AccessReviewPage"),
  "AccessReviewPage",
);
const AccessReviewsPage = lazyPage(
  () => import("./areas/access-reviews/AccessReviewsPage"),
  "AccessReviewsPage",
);
const MyAccessReviewsPage = lazyPage(
  () => import("./areas/access-reviews/MyAccessReviewsPage"),
  "MyAccessReviewsPage",
);
const AccessTasksPage = lazyPage(() => import("./areas/access/TasksPage"), "TasksPage");
const AccountPage = lazyPage(() => import("./areas/auth/AccountPage"), "AccountPage");
const AuditLogPage = lazyPage(() => import("./areas/audit-log/AuditLogPage"), "AuditLogPage");
const ControlDetailPage = lazyPage(
  () => import("./areas/controls/ControlDetailPage"),
  "ControlDetailPage",
);
const KeysPage = lazyPage(() => import("./areas/access-keys/KeysPage"), "KeysPage");
const KeyPage = lazyPage(() => import("./areas/access-keys/KeyPage"), "KeyPage");
// issue 13: scan imports
const ImportScanPage = lazyPage(
  () => import("./areas/vulnerabilities/ImportScanPage"),
  "ImportScanPage",
);
const ScanImportsPage = lazyPage(
  () => import("./areas/vulnerabilities/ScanImportsPage"),
  "ScanImportsPage",
);
const HostListingsPage = lazyPage(
  () => import("./areas/access-keys/HostListingsPage"),
  "HostListingsPage",
);
const GrantsPage = lazyPage(() => import("./areas/access/GrantsPage"), "GrantsPage");
const RoleRulesPage = lazyPage(() => import("./areas/access/RoleRulesPage"), "RoleRulesPage");
const ControlsPage = lazyPage(() => import("./areas/controls/ControlsPage"), "ControlsPage");
const DashboardPage = lazyPage(() => import("./areas/monitoring/DashboardPage"), "DashboardPage");
const EvidencePage = lazyPage(() => import("./areas/evidence/EvidencePage"), "EvidencePage");
const InvitePage = lazyPage(() => import("./areas/auth/InvitePage"), "InvitePage");
const LoginPage = lazyPage(() => import("./areas/auth/LoginPage"), "LoginPage");
const MonitoringSettingsPage = lazyPage(
  () => import("./areas/organizations/MonitoringSettingsPage"),
  "MonitoringSettingsPage",
);
const MyPoliciesPage = lazyPage(() => import("./areas/policies/MyPoliciesPage"), "MyPoliciesPage");
const MyPolicyPage = lazyPage(() => import("./areas/policies/MyPolicyPage"), "MyPolicyPage");
const NewPolicyPage = lazyPage(() => import("./areas/policies/NewPolicyPage"), "NewPolicyPage");
const NotFoundPage = lazyPage(() => import("./ui/NotFoundPage"), "NotFoundPage");
const NoticePage = lazyPage(() => import("./areas/notices/NoticePage"), "NoticePage");
const NoticesPage = lazyPage(() => import("./areas/notices/NoticesPage"), "NoticesPage");
const OrganizationPage = lazyPage(
  () => import("./areas/organizations/OrganizationPage"),
  "OrganizationPage",
);
const PeoplePage = lazyPage(() => import("./areas/people/PeoplePage"), "PeoplePage");
const PersonPage = lazyPage(() => import("./areas/people/PersonPage"), "PersonPage");
const PeopleImportPage = lazyPage(
  () => import("./areas/people/PeopleImportPage"),
  "PeopleImportPage",
);
const PoliciesPage = lazyPage(() => import("./areas/policies/PoliciesPage"), "PoliciesPage");
const PolicyPage = lazyPage(() => import("./areas/policies/PolicyPage"), "PolicyPage");
const ReportPage = lazyPage(() => import("./areas/reporting/ReportPage"), "ReportPage");
const ReportsPage = lazyPage(() => import("./areas/reporting/ReportsPage"), "ReportsPage");
const SetupPage = lazyPage(() => import("./areas/auth/SetupPage"), "SetupPage");
const SystemPage = lazyPage(() => import("./areas/systems/SystemPage"), "SystemPage");
const SystemsPage = lazyPage(() => import("./areas/systems/SystemsPage"), "SystemsPage");
const InventoryReviewPage = lazyPage(
  () => import("./areas/systems/InventoryReviewPage"),
  "InventoryReviewPage",
);
const TrustCenterPage = lazyPage(
  () => import("./areas/trust-center/TrustCenterPage"),
  "TrustCenterPage",
);
const TrustDocumentsPage = lazyPage(
  () => import("./areas/trust-documents/TrustDocumentsPage"),
  "TrustDocumentsPage",
);
const TrustRequestsPage = lazyPage(
  () => import("./areas/trust-documents/TrustRequestsPage"),
  "TrustRequestsPage",
);
const UsersPage = lazyPage(() => import("./areas/users/UsersPage"), "UsersPage");
// issue 13: pentests
const PentestsPage = lazyPage(() => import("./areas/pentests/PentestsPage"), "PentestsPage");
const NewPentestPage = lazyPage(() => import("./areas/pentests/NewPentestPage"), "NewPentestPage");
const PentestPage = lazyPage(() => import("./areas/pentests/PentestPage"), "PentestPage");
// issue 14: incidents
const IncidentsPage = lazyPage(() => import("./areas/incidents/IncidentsPage"), "IncidentsPage");
const NewIncidentPage = lazyPage(
  () => import("./areas/incidents/NewIncidentPage"),
  "NewIncidentPage",
);
const IncidentPage = lazyPage(() => import("./areas/incidents/IncidentPage"), "IncidentPage");
const LessonsPage = lazyPage(() => import("./areas/incidents/LessonsPage"), "LessonsPage");
const SharedLessonsPage = lazyPage(
  () => import("./areas/incidents/SharedLessonsPage"),
  "SharedLessonsPage",
);
const MyActionItemsPage = lazyPage(
  () => import("./areas/incidents/MyActionItemsPage"),
  "MyActionItemsPage",
);
const ExercisesPage = lazyPage(() => import("./areas/incidents/ExercisesPage"), "ExercisesPage");
const NewExercisePage = lazyPage(
  () => import("./areas/incidents/NewExercisePage"),
  "NewExercisePage",
);
const ExercisePage = lazyPage(() => import("./areas/incidents/ExercisePage"), "ExercisePage");
// issue 15: encryption
const EncryptionPage = lazyPage(
  () => import("./areas/encryption/EncryptionPage"),
  "EncryptionPage",
);
const EncryptionKeyPage = lazyPage(() => import("./areas/encryption/KeyPage"), "KeyPage");
const DataStorePage = lazyPage(() => import("./areas/encryption/StorePage"), "StorePage");
// issue 15: continuity
const RestoreTestsPage = lazyPage(
  () => import("./areas/continuity/RestoreTestsPage"),
  "RestoreTestsPage",
);
const NewRestoreTestPage = lazyPage(
  () => import("./areas/continuity/NewRestoreTestPage"),
  "NewRestoreTestPage",
);
const RestoreTestPage = lazyPage(
  () => import("./areas/continuity/RestoreTestPage"),
  "RestoreTestPage",
);
// issue 15: customers
const CustomersPage = lazyPage(() => import("./areas/customers/CustomersPage"), "CustomersPage");
const CustomerImportPage = lazyPage(
  () => import("./areas/customers/CustomerImportPage"),
  "CustomerImportPage",
);
const NewCustomerPage = lazyPage(
  () => import("./areas/customers/NewCustomerPage"),
  "NewCustomerPage",
);
const CustomerPage = lazyPage(() => import("./areas/customers/CustomerPage"), "CustomerPage");
// issue 15: endpoints
const EndpointsPage = lazyPage(() => import("./areas/endpoints/EndpointsPage"), "EndpointsPage");
const NewEndpointPage = lazyPage(
  () => import("./areas/endpoints/NewEndpointPage"),
  "NewEndpointPage",
);
const EndpointPage = lazyPage(() => import("./areas/endpoints/EndpointPage"), "EndpointPage");
// issue 16: scim
const ScimSettingsPage = lazyPage(
  () => import("./areas/scim/ScimSettingsPage"),
  "ScimSettingsPage",
);

/** Signed-in pages and the permission each needs. */
const guarded: { path: string; permission: Permission | Permission[]; page: ReactNode }[] = [
  { path: "/controls", permission: "controls.read", page: <ControlsPage /> },
  { path: "/controls/:key", permission: "controls.read", page: <ControlDetailPage /> },
  { path: "/policies", permission: "policies.read", page: <PoliciesPage /> },
  { path: "/policies/new", permission: "policies.manage", page: <NewPolicyPage /> },
  { path: "/policies/:id", permission: "policies.read", page: <PolicyPage /> },
  { path: "/my/policies", permission: "policies.acknowledge", page: <MyPoliciesPage /> },
  { path: "/my/policies/:id", permission: "policies.acknowledge", page: <MyPolicyPage /> },
  { path: "/people", permission: "people.read", page: <PeoplePage /> },
  { path: "/people/import", permission: "people.manage", page: <PeopleImportPage /> },
  { path: "/people/:id", permission: "people.read", page: <PersonPage /> },
  { path: "/systems", permission: "systems.read", page: <SystemsPage /> },
  { path: "/systems/review", permission: "systems.read", page: <InventoryReviewPage /> },
  { path: "/systems/:id", permission: "systems.read", page: <SystemPage /> },
  { path: "/settings/users", permission: "users.read", page: <UsersPage /> },
  { path: "/settings/organization", permission: "organization.update", page: <OrganizationPage /> },
  { path: "/settings/sso", permission: "sso.manage", page: <SsoSettingsPage /> },
  {
    path: "/settings/monitoring",
    permission: "organization.update",
    page: <MonitoringSettingsPage />,
  },
  { path: "/settings/scim", permission: "scim.manage", page: <ScimSettingsPage /> },
  { path: "/audit", permission: "audit.read", page: <AuditLogPage /> },
  { path: "/evidence", permission: "evidence.read", page: <EvidencePage /> },
  { path: "/trust-center", permission: "trust.read", page: <TrustCenterPage /> },
  { path: "/trust-center/documents", permission: "trust.read", page: <TrustDocumentsPage /> },
  { path: "/trust-center/requests", permission: "trust.read", page: <TrustRequestsPage /> },
  { path: "/notices", permission: "notices.read", page: <NoticesPage /> },
  { path: "/notices/:id", permission: "notices.read", page: <NoticePage /> },
  { path: "/reports", permission: "reports.handle", page: <ReportsPage /> },
  { path: "/reports/:id", permission: "reports.handle", page: <ReportPage /> },
  { path: "/systems/:id/import", permission: "access.manage", page: <AccessImportPage /> },
  { path: "/access/grants", permission: "access.read", page: <GrantsPage /> },
  { path: "/access/role-rules", permission: "access.read", page: <RoleRulesPage /> },
  { path: "/access/requests", permission: "access.self", page: <AccessRequestsPage /> },
  { path: "/access/requests/:id", permission: "access.self", page: <AccessRequestPage /> },
  { path: "/access/tasks", permission: "access.self", page: <AccessTasksPage /> },
  { path: "/access-keys", permission: "access.read", page: <KeysPage /> },
  { path: "/access-keys/:id", permission: "access.read", page: <KeyPage /> },
  { path: "/key-listings/:id?", permission: "access.read", page: <HostListingsPage /> },
  // issue 13: scan imports
  {
    path: "/vulnerabilities/import",
    permission: "vulnerabilities.manage",
    page: <ImportScanPage />,
  },
  {
    path: "/vulnerabilities/imports",
    permission: "vulnerabilities.read",
    page: <ScanImportsPage />,
  },
  { path: "/access/reviews", permission: "access.read", page: <AccessReviewsPage /> },
  // Readers of access, and reviewers (any role) of the items they are asked to decide.
  {
    path: "/access/reviews/:id",
    permission: ["access.read", "access.self"],
    page: <AccessReviewPage />,
  },
  { path: "/my/access-reviews", permission: "access.self", page: <MyAccessReviewsPage /> },
  // issue 13: findings
  { path: "/vulnerabilities", permission: "vulnerabilities.read", page: <FindingsPage /> },
  {
    path: "/vulnerabilities/findings/:id",
    permission: "vulnerabilities.read",
    page: <FindingPage />,
  },
  {
    path: "/vulnerabilities/acceptances",
    permission: "vulnerabilities.read",
    page: <AcceptancesPage />,
  },
  // issue 13: pentests
  { path: "/pentests", permission: "vulnerabilities.read", page: <PentestsPage /> },
  { path: "/pentests/new", permission: "vulnerabilities.manage", page: <NewPentestPage /> },
  { path: "/pentests/:id", permission: "vulnerabilities.read", page: <PentestPage /> },
  // issue 14: incidents (a member sees the incidents they declared)
  {
    path: "/incidents",
    permission: ["incidents.read", "incidents.declare"],
    page: <IncidentsPage />,
  },
  { path: "/incidents/new", permission: "incidents.declare", page: <NewIncidentPage /> },
  {
    path: "/incidents/:id",
    permission: ["incidents.read", "incidents.declare"],
    page: <IncidentPage />,
  },
  { path: "/incidents/:id/lessons", permission: "incidents.lessons", page: <LessonsPage /> },
  { path: "/lessons", permission: "incidents.lessons", page: <SharedLessonsPage /> },
  { path: "/my/action-items", permission: "incidents.declare", page: <MyActionItemsPage /> },
  { path: "/ir-exercises", permission: "incidents.read", page: <ExercisesPage /> },
  { path: "/ir-exercises/new", permission: "incidents.manage", page: <NewExercisePage /> },
  { path: "/ir-exercises/:id", permission: "incidents.read", page: <ExercisePage /> },
  // issue 15: encryption
  { path: "/encryption", permission: "encryption.read", page: <EncryptionPage /> },
  { path: "/encryption/keys/:id", permission: "encryption.read", page: <EncryptionKeyPage /> },
  { path: "/encryption/stores/:id", permission: "encryption.read", page: <DataStorePage /> },
  // issue 15: continuity
  { path: "/continuity", permission: "continuity.read", page: <RestoreTestsPage /> },
  {
    path: "/continuity/restore-tests/new",
    permission: "continuity.manage",
    page: <NewRestoreTestPage />,
  },
  {
    path: "/continuity/restore-tests/:id",
    permission: "continuity.read",
    page: <RestoreTestPage />,
  },
  // issue 15: customers
  { path: "/customers", permission: "customers.read", page: <CustomersPage /> },
  { path: "/customers/import", permission: "customers.manage", page: <CustomerImportPage /> },
  { path: "/customers/new", permission: "customers.manage", page: <NewCustomerPage /> },
  { path: "/customers/:id", permission: "customers.read", page: <CustomerPage /> },
  // issue 15: endpoints
  { path: "/endpoints", permission: "endpoints.read", page: <EndpointsPage /> },
  { path: "/endpoints/new", permission: "endpoints.manage", page: <NewEndpointPage /> },
  { path: "/endpoints/:id", permission: "endpoints.read", page: <EndpointPage /> },
];

export function App() {
  return (
    <Suspense fallback={<FullPageLoading />}>
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
    </Suspense>
  );
}
