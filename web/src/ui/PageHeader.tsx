// The heading block of every page; also sets the document title, and its heading takes focus
// when it appears after a route change (src/focus.ts).
import { type ReactNode, useEffect, useRef } from "react";
import { focusRequestedHeading } from "./focus";

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Attest` : "Attest";
  }, [title]);
}

interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  eyebrow?: ReactNode;
}

export function PageHeader({ title, description, actions, eyebrow }: PageHeaderProps) {
  useDocumentTitle(title);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => focusRequestedHeading(heading.current), []);
  return (
    <header className="page-header">
      <div className="page-header-text">
        {eyebrow && <div className="page-eyebrow">{eyebrow}</div>}
        <h1 className="page-title" tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {description && <p className="page-description">{description}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}
