// The signed-in frame: skip link, sidebar (a menu on phones), and the main landmark.
import { Suspense, useEffect, useRef, useState } from "react";
import { Outlet, useLocation } from "react-router";
import { Sidebar } from "./Sidebar";
import { Logo } from "./ui/AuthLayout";
import { Callout } from "./ui/Callout";
import { Icon } from "./ui/Icon";
import { PageLoading } from "./ui/Loading";
import { useSession } from "./ui/session";

export function AppLayout() {
  const { mfaEnrollmentRequired } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const { pathname } = useLocation();
  const [menuPath, setMenuPath] = useState(pathname);
  const menuButton = useRef<HTMLButtonElement>(null);

  // Any navigation (links, back button) closes the phone menu.
  if (menuPath !== pathname) {
    setMenuPath(pathname);
    setMenuOpen(false);
  }

  useEffect(() => {
    if (!menuOpen) return;
    // Escape closes the menu and gives focus back to its button, not to the page's <body>.
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setMenuOpen(false);
      menuButton.current?.focus();
    };
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
          ref={menuButton}
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
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </div>
      </main>
    </div>
  );
}
