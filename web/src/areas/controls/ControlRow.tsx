import { Link } from "react-router";
import { StatusBadge } from "../../ui/StatusBadge";
import type { Control } from "../../ui/schema";

export function ControlRow({ control }: { control: Control }) {
  return (
    <li className="control-row" data-control-key={control.key}>
      <div className="control-row-main">
        <Link
          className="control-row-title stretched-link"
          to={`/controls/${encodeURIComponent(control.key)}`}
        >
          {control.title}
        </Link>
        <span className="control-row-key mono">{control.key}</span>
      </div>
      <div className="control-row-owner">
        <span className="visually-hidden">Owner: </span>
        {control.owner ? control.owner.name : <span className="muted">No owner</span>}
      </div>
      <div className="control-row-status">
        <StatusBadge status={control.status} />
      </div>
    </li>
  );
}
