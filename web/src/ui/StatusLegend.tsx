// The colour key shared by the history strip and the dashboard chart.
import { STATUS_ORDER } from "./format";
import { statusLabel } from "./StatusBadge";

export const CHART_STATUSES = STATUS_ORDER;

export function StatusLegend({ includeGap = false }: { includeGap?: boolean }) {
  return (
    <ul className="legend" aria-label="Legend">
      {CHART_STATUSES.map((status) => (
        <li key={status} className="legend-item">
          <span className={`legend-swatch status-${status}`} aria-hidden="true" />
          {statusLabel(status)}
        </li>
      ))}
      {includeGap && (
        <li className="legend-item">
          <span className="legend-swatch status-none" aria-hidden="true" />
          No snapshot
        </li>
      )}
    </ul>
  );
}
