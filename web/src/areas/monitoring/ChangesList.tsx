// "What changed since yesterday": controls whose status differs from yesterday's snapshot.
import { Link } from "react-router";
import { StatusBadge } from "../../ui/StatusBadge";
import type { Dashboard } from "./types";

interface ChangesListProps {
  changes: Dashboard["changes"];
  /** Whether there is a snapshot from yesterday to compare with. */
  compared: boolean;
}

export function ChangesList({ changes, compared }: ChangesListProps) {
  return (
    <section className="card section" aria-labelledby="changes-heading">
      <h2 id="changes-heading" className="section-title">
        What changed since yesterday
      </h2>
      {changes.length === 0 ? (
        <p className="muted">
          {compared
            ? "No control changed status since yesterday's snapshot."
            : "There is no snapshot from yesterday yet. Changes show here from tomorrow."}
        </p>
      ) : (
        <ul className="change-list">
          {changes.map((change) => (
            <li key={change.controlKey} className="change-item">
              <Link to={`/controls/${encodeURIComponent(change.controlKey)}`}>{change.title}</Link>
              <span className="change-badges">
                <span className="visually-hidden">from</span>
                <StatusBadge status={change.from} />
                <span aria-hidden="true" className="change-arrow">
                  →
                </span>
                <span className="visually-hidden">to</span>
                <StatusBadge status={change.to} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
