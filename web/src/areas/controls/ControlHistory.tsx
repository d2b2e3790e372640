// A control's daily status over the last 90 days: one cell per day, with a legend and the
// same history as text (runs of days) for screen readers and anyone who prefers words.
import { useQuery } from "@tanstack/react-query";
import { addDaysToDay, daysBetween, formatDay, utcDay } from "../../ui/format";
import { LoadError, Spinner } from "../../ui/Loading";
import { keys } from "../../ui/queries";
import { statusLabel } from "../../ui/StatusBadge";
import { StatusLegend } from "../../ui/StatusLegend";
import type { ControlStatus } from "../../ui/schema";
import { controlsApi } from "./api";

const DAYS = 90;

interface Run {
  from: string;
  to: string;
  status: ControlStatus | null;
}

function runsOf(days: string[], byDay: Map<string, ControlStatus>): Run[] {
  const runs: Run[] = [];
  for (const day of days) {
    const status = byDay.get(day) ?? null;
    const last = runs.at(-1);
    if (last && last.status === status) last.to = day;
    else runs.push({ from: day, to: day, status });
  }
  return runs;
}

function label(status: ControlStatus | null): string {
  return status ? statusLabel(status) : "No snapshot";
}

function range(run: Run): string {
  return run.from === run.to
    ? formatDay(run.from)
    : `${formatDay(run.from)} – ${formatDay(run.to)}`;
}

export function ControlHistory({ controlKey }: { controlKey: string }) {
  const to = utcDay();
  const from = addDaysToDay(to, -(DAYS - 1));
  const history = useQuery({
    queryKey: keys.controlHistory(controlKey, from, to),
    queryFn: () => controlsApi.controlHistory(controlKey, from, to),
  });

  if (history.isPending) return <Spinner label="Loading history" />;
  if (history.isError) return <LoadError error={history.error} onRetry={() => history.refetch()} />;

  const byDay = new Map(history.data.items.map((item) => [item.day, item.status]));
  const days = daysBetween(from, to);
  const runs = runsOf(days, byDay);
  const counted = new Map<string, number>();
  for (const day of days) {
    const name = label(byDay.get(day) ?? null);
    counted.set(name, (counted.get(name) ?? 0) + 1);
  }
  const summary = [...counted].map(([name, n]) => `${n} ${name.toLowerCase()}`).join(", ");

  return (
    <div className="history">
      <div
        className="history-strip"
        role="img"
        aria-label={`Daily status from ${formatDay(from)} to ${formatDay(to)}: ${summary}.`}
      >
        {days.map((day) => {
          const status = byDay.get(day);
          return (
            <span
              key={day}
              className={`history-cell status-${status ?? "none"}`}
              title={`${formatDay(day)}: ${label(status ?? null)}`}
            />
          );
        })}
      </div>
      <div className="history-scale" aria-hidden="true">
        <span>{formatDay(from)}</span>
        <span>Today</span>
      </div>
      <StatusLegend includeGap />
      <details className="disclosure-inline">
        <summary>Show the history as text</summary>
        <ul className="history-runs">
          {runs
            .slice()
            .reverse()
            .map((run) => (
              <li key={run.from}>
                <span className="history-runs-range">{range(run)}</span>
                <span>{label(run.status)}</span>
              </li>
            ))}
        </ul>
      </details>
    </div>
  );
}
