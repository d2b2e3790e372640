// Route guards: first-run setup, a signed-in session, forced MFA enrolment, permissions.
import { type ReactNode, useLayoutEffect, useRef } from "react";
import { Navigate, Outlet, useLocation, useNavigationType, useSearchParams } from "react-router";
import { EmptyState } from "./EmptyState";
import { noteRouteChange } from "./focus";
import { LoadError, PageLoading } from "./Loading";
import { PageHeader } from "./PageHeader";
import { useMeQuery, useSetupStatus } from "./queries";
import type { Permission } from "./schema";
import { SessionContext, safeNext, useCan } from "./session";

function FullPage({ children }: { children: ReactNode }) {
  return (
    <main className="full-page" id="main">
      {children}
    </main>
  );
}

/** While a page's code or the session loads, outside the signed-in frame. */
export function FullPageLoading({ label = "Loading Attest" }: { label?: string }) {
  return (
    <FullPage>
      <PageLoading label={label} />
    </FullPage>
  );
}

/**
 * Every change of path asks for the new page's heading to take focus (src/focus.ts). A layout
 * effect, so the request is made before the new page's own effects run.
 */
function useHeadingFocusOnRouteChange(pathname: string): void {
  const navigationType = useNavigationType();
  const previous = useRef(pathname);
  useLayoutEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    noteRouteChange(navigationType === "REPLACE");
  }, [pathname, navigationType]);
}

/** Until the first organization exists, every page leads to /setup. */
export function SetupGate() {
  const setup = useSetupStatus();
  const { pathname } = useLocation();
  useHeadingFocusOnRouteChange(pathname);
  if (setup.isPending)
    return (
      <FullPage>
        <PageLoading label="Loading Attest" />
      </FullPage>
    );
  if (setup.isError) {
    return (
      <FullPage>
        <LoadError error={setup.error} onRetry={() => setup.refetch()} />
      </FullPage>
    );
  }
  const onSetup = pathname === "/setup";
  if (setup.data.required && !onSetup) return <Navigate to="/setup" replace />;
  if (!setup.data.required && onSetup) return <Navigate to="/" replace />;
  return <Outlet />;
}

/** Pages inside the app need a session; without one, go to /login and come back after. */
export function RequireSession() {
  const me = useMeQuery();
  const location = useLocation();
  if (me.isPending)
    return (
      <FullPage>
        <PageLoading label="Loading your workspace" />
      </FullPage>
    );
  if (me.isError) {
    return (
      <FullPage>
        <LoadError error={me.error} onRetry={() => me.refetch()} />
      </FullPage>
    );
  }
  if (!me.data) {
    const here = location.pathname + location.search;
    const to = here === "/" ? "/login" : `/login?next=${encodeURIComponent(here)}`;
    return <Navigate to={to} replace />;
  }
  if (me.data.mfaEnrollmentRequired && location.pathname !== "/account") {
    return <Navigate to="/account#two-factor" replace />;
  }
  return (
    <SessionContext.Provider value={me.data}>
      <Outlet />
    </SessionContext.Provider>
  );
}

/** Public pages such as /login send a signed-in visitor to the app instead. */
export function RedirectIfSignedIn({ children }: { children: ReactNode }) {
  const me = useMeQuery();
  const [params] = useSearchParams();
  if (me.isPending)
    return (
      <FullPage>
        <PageLoading />
      </FullPage>
    );
  if (me.data) return <Navigate to={safeNext(params.get("next"))} replace />;
  return <>{children}</>;
}

export function RequirePermission({
  permission,
  children,
}: {
  /** One permission, or several of which any one will do. */
  permission: Permission | readonly Permission[];
  children: ReactNode;
}) {
  const can = useCan();
  const any = typeof permission === "string" ? [permission] : permission;
  if (any.some(can)) return <>{children}</>;
  return (
    <>
      <PageHeader title="No access" />
      <EmptyState icon="alert" title="You don't have access to this page">
        <p>Ask an owner or admin of your organization if you need it.</p>
      </EmptyState>
    </>
  );
}
