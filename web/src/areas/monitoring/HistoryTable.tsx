// The dashboard history as a table, one row per month (its last snapshot of the month).
import { formatDay, formatPercent, passingShare } from "../../ui/format";
import { statusLabel } from "../../ui/StatusBadge";
import { CHART_STATUSES } from "../../ui/StatusLegend";
import type { Dashboard } from "./types";

type Day = Dashboard["history"][number];

const monthFormat = new Intl.DateTimeFormat(undefined, {
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

interface Month {
  month: string;
  snapshots: number;
  last: Day | undefined;
}

function months(days: string[], byDay: Map<string, Day>): Month[] {
  const result: Month[] = [];
  for (const day of days) {
    const month = day.slice(0, 7);
    let entry = result.at(-1);
    if (entry?.month !== month) {
      entry = { month, snapshots: 0, last: undefined };
      result.push(entry);
    }
    const snapshot = byDay.get(day);
    if (snapshot) {
      entry.snapshots++;
      entry.last = snapshot;
    }
  }
  return result.reverse();
}

export function HistoryTable({ days, byDay }: { days: string[]; byDay: Map<string, Day> }) {
  return (
    <details className="disclosure-inline">
      <summary>Show the history as a table</summary>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard */}
      <section className="table-wrap" tabIndex={0} aria-label="History table">
        <table className="table table-compact">
          <caption className="visually-hidden">
            Control status by month: each month's last daily snapshot
          </caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col">Last snapshot</th>
              <th scope="col">Passing share</th>
              {CHART_STATUSES.map((status) => (
                <th key={status} scope="col">
                  {statusLabel(status)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {months(days, byDay).map(({ month, snapshots, last }) => (
              <tr key={month}>
                <th scope="row">{monthFormat.format(new Date(`${month}-01T00:00:00Z`))}</th>
                {last ? (
                  <>
                    <td>
                      {formatDay(last.day)}
                      <span className="cell-secondary"> ({snapshots} days)</span>
                    </td>
                    <td>{formatPercent(passingShare(last))}</td>
                    {CHART_STATUSES.map((status) => (
                      <td key={status}>{last[status]}</td>
                    ))}
                  </>
                ) : (
                  <td colSpan={CHART_STATUSES.length + 2} className="muted">
                    No snapshot
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </details>
  );
}
