// The signed-in frame: skip link, sidebar (a menu on phones), and the main landmark.
import { useEffect, useRef, useState } from "react";
import { Outlet, useLocation } from "react-router";
import { useSession } from "../session";
import { Logo } from "./AuthLayout";
import { Callout } from "./Callout";
import { Icon } from "./Icon";
import { Sidebar } from "./Sidebar";

/** After client-side navigation, focus the new page's heading so screen readers announce it. */
function useFocusHeadingOnNavigate(pathname: string): void {
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    document.querySelector<HTMLElement>("#main h1")?.focus();
  }, [pathname]);
}

export function AppLayout() {
  const { mfaEnrollmentRequired } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const { pathname } = useLocation();
  const [menuPath, setMenuPath] = useState(pathname);
  useFocusHeadingOnNavigate(pathname);

  // Any navigation (links, back button) closes the phone menu.
  if (menuPath !== pathname) {
    setMenuPath(pathname);
    setMenuOpen(false);
  }

  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && setMenuOpen(false);
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [menuOpen]);

  return (
    <div className={menuOpen ? "app app-menu-open" : "app"}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Logo />
        <button
          type="button"
          className="icon-button topbar-menu"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((open) => !open)}
        >
          <Icon name={menuOpen ? "close" : "menu"} />
          <span className="visually-hidden">Menu</span>
        </button>
      </header>
      <aside className="sidebar" aria-label="Sidebar">
        <div className="sidebar-brand">
          <Logo />
        </div>
        <Sidebar id="sidebar" onNavigate={() => setMenuOpen(false)} />
      </aside>
      <main className="main" id="main" tabIndex={-1}>
        <div className="main-inner">
          {mfaEnrollmentRequired && (
            <Callout
              tone="warning"
              title="Set up two-factor authentication to continue"
              role="status"
            >
              <p>
                Your organization requires two-factor authentication. Enable it below; the rest of
                Attest unlocks as soon as it is confirmed.
              </p>
            </Callout>
          )}
          <Outlet />
        </div>
      </main>
    </div>
  );
}
