// The records behind a failing or due-soon test: what each is, what to do, and by when.
import type { ReactNode } from "react";
import { Link } from "react-router";
import { formatDate, isPast } from "./format";
import type { Offender } from "./schema";

/** App paths open inside the app; anything else is an ordinary link. */
export function AppLink({ to, children }: { to: string; children: ReactNode }) {
  if (to.startsWith("/") && !to.startsWith("//") && !to.startsWith("/api/")) {
    return <Link to={to}>{children}</Link>;
  }
  return <a href={to}>{children}</a>;
}

export function DueDate({ dueAt }: { dueAt: string }) {
  const overdue = isPast(dueAt);
  return (
    <span className={overdue ? "due due-overdue" : "due"}>
      {overdue ? "Overdue since " : "Due "}
      <time dateTime={dueAt}>{formatDate(dueAt)}</time>
    </span>
  );
}

/** Offenders may repeat across a control's tests (one missing policy fails all three). */
export function uniqueOffenders(offenders: Offender[]): Offender[] {
  const seen = new Set<string>();
  return offenders.filter((o) => {
    const key = `${o.kind}:${o.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function OffenderList({ offenders, more = 0 }: { offenders: Offender[]; more?: number }) {
  if (offenders.length === 0) return null;
  return (
    <ul className="offender-list">
      {offenders.map((offender) => (
        <li key={`${offender.kind}:${offender.id}`} className="offender">
          <div className="offender-head">
            <AppLink to={offender.link}>{offender.label}</AppLink>
            {offender.dueAt && <DueDate dueAt={offender.dueAt} />}
          </div>
          <p className="offender-action">{offender.action}</p>
        </li>
      ))}
      {more > 0 && <li className="offender-more muted">and {more} more</li>}
    </ul>
  );
}
