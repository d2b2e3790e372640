// Twelve months of daily snapshots as a stacked bar chart, drawn here as SVG (no chart
// library, nothing inline that the CSP would refuse). Days without a snapshot stay empty.
// The same data is offered as a table.
import { useEffect, useId, useRef } from "react";
import { EmptyState } from "../../ui/EmptyState";
import {
  addDaysToDay,
  daysBetween,
  formatDay,
  formatPercent,
  passingShare,
  utcDay,
} from "../../ui/format";
import { statusLabel } from "../../ui/StatusBadge";
import { CHART_STATUSES, StatusLegend } from "../../ui/StatusLegend";
import { HistoryTable } from "./HistoryTable";
import type { Dashboard } from "./types";

type Day = Dashboard["history"][number];

const WIDTH = 800;
const HEIGHT = 220;
const LEFT = 40;
const RIGHT = 8;
const TOP = 10;
const BOTTOM = 26;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;

function sameCounts(a: Day | undefined, b: Day | undefined): boolean {
  if (!a || !b) return a === b;
  return CHART_STATUSES.every((s) => a[s] === b[s]);
}

interface Run {
  from: number;
  to: number;
  day: Day | undefined;
}

/** Consecutive days with identical counts are drawn as one bar: far fewer SVG nodes. */
function runsOf(days: string[], byDay: Map<string, Day>): Run[] {
  const runs: Run[] = [];
  days.forEach((date, index) => {
    const day = byDay.get(date);
    const last = runs.at(-1);
    if (last && sameCounts(last.day, day)) last.to = index;
    else runs.push({ from: index, to: index, day });
  });
  return runs;
}

function describe(run: Run, days: string[]): string {
  const from = days[run.from] ?? "";
  const to = days[run.to] ?? "";
  const when = from === to ? formatDay(from) : `${formatDay(from)} – ${formatDay(to)}`;
  if (!run.day) return `${when}: no snapshot`;
  const day = run.day;
  const parts = CHART_STATUSES.filter((s) => day[s] > 0).map(
    (s) => `${day[s]} ${statusLabel(s).toLowerCase()}`,
  );
  return `${when}: ${parts.join(", ")}`;
}

function Bars({ run, step }: { run: Run; step: number }) {
  // A lone day stays visible: at least 3 units wide, kept inside the plot.
  const width = Math.max((run.to - run.from + 1) * step, 3);
  const x = Math.min(LEFT + run.from * step, LEFT + PLOT_W - width);
  if (!run.day) {
    return <rect className="chart-gap" x={x} y={TOP + PLOT_H - 2} width={width} height={2} />;
  }
  const day = run.day;
  const total = CHART_STATUSES.reduce((sum, s) => sum + day[s], 0) || 1;
  let y = TOP + PLOT_H;
  return (
    <>
      {CHART_STATUSES.map((status) => {
        const height = (day[status] / total) * PLOT_H;
        y -= height;
        return height > 0 ? (
          <rect
            key={status}
            className={`fill-${status}`}
            x={x}
            y={y}
            width={width}
            height={height}
          />
        ) : null;
      })}
    </>
  );
}

const monthFormat = new Intl.DateTimeFormat(undefined, { month: "short", timeZone: "UTC" });
const monthYearFormat = new Intl.DateTimeFormat(undefined, {
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

function MonthTicks({ days, step }: { days: string[]; step: number }) {
  return (
    <>
      {days.map((day, index) => {
        if (!day.endsWith("-01")) return null;
        const x = LEFT + index * step;
        const date = new Date(`${day}T00:00:00Z`);
        const label = day.slice(5, 7) === "01" ? monthYearFormat : monthFormat;
        return (
          <g key={day}>
            <line className="chart-tick" x1={x} x2={x} y1={TOP + PLOT_H} y2={TOP + PLOT_H + 4} />
            <text className="chart-label" x={x + 2} y={HEIGHT - 8}>
              {label.format(date)}
            </text>
          </g>
        );
      })}
    </>
  );
}

function Grid() {
  return (
    <>
      {[0, 0.5, 1].map((fraction) => {
        const y = TOP + PLOT_H - fraction * PLOT_H;
        return (
          <g key={fraction}>
            <line className="chart-grid" x1={LEFT} x2={WIDTH - RIGHT} y1={y} y2={y} />
            <text className="chart-label" x={LEFT - 6} y={y + 4} textAnchor="end">
              {fraction * 100}%
            </text>
          </g>
        );
      })}
    </>
  );
}

export function HistoryChart({ history }: { history: Dashboard["history"] }) {
  const titleId = useId();
  const summaryId = useId();
  const scroller = useRef<HTMLElement>(null);
  // On a narrow screen the chart scrolls: start at the right, where today is.
  useEffect(() => {
    const element = scroller.current;
    if (element) element.scrollLeft = element.scrollWidth;
  }, []);
  const to = utcDay();
  const days = daysBetween(addDaysToDay(to, -365), to);
  const byDay = new Map(history.map((d) => [d.day, d]));
  const recorded = days.filter((d) => byDay.has(d));
  const first = recorded[0];
  const last = recorded.at(-1);

  if (!first || !last) {
    return (
      <EmptyState icon="clock" title="No history yet" headingLevel={3}>
        <p>Attest records every control's status once a day. The chart fills in from today.</p>
      </EmptyState>
    );
  }

  const firstDay = byDay.get(first) as Day;
  const lastDay = byDay.get(last) as Day;
  const step = PLOT_W / days.length;
  const runs = runsOf(days, byDay);
  const summary =
    first === last
      ? `Snapshots begin on ${formatDay(first)}: ${formatPercent(passingShare(lastDay))} of applicable controls passing.`
      : `${formatPercent(passingShare(firstDay))} of applicable controls passed on ${formatDay(first)}; ${formatPercent(passingShare(lastDay))} on ${formatDay(last)}. ${recorded.length} of ${days.length} days have a snapshot.`;

  return (
    <div className="chart">
      <p id={summaryId} className="chart-summary">
        {summary}
      </p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: on phones the chart scrolls; keyboard users must reach it */}
      <section ref={scroller} className="chart-scroll" tabIndex={0} aria-label="History chart">
        <svg
          className="chart-svg"
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          role="img"
          aria-labelledby={`${titleId} ${summaryId}`}
        >
          <title id={titleId}>Daily control status over the last 12 months</title>
          <Grid />
          {runs.map((run) => (
            <g key={run.from}>
              <title>{describe(run, days)}</title>
              <Bars run={run} step={step} />
            </g>
          ))}
          <MonthTicks days={days} step={step} />
        </svg>
      </section>
      <StatusLegend includeGap />
      <HistoryTable days={days} byDay={byDay} />
    </div>
  );
}
