// The share of controls passing: overall (a big number with counts per status) and per
// category, in catalog order.
import { Link } from "react-router";
import { formatPercent, plural, slug } from "../../ui/format";
import { statusLabel } from "../../ui/StatusBadge";
import { CHART_STATUSES } from "../../ui/StatusLegend";
import type { Dashboard, Share } from "./types";

/** A horizontal bar split by status; decorative: the numbers beside it say the same. */
function ShareBar({ share }: { share: Share }) {
  let x = 0;
  const total = Math.max(share.total, 1);
  return (
    <svg
      className="share-bar"
      viewBox="0 0 100 8"
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
    >
      <rect className="share-bar-track" width="100" height="8" />
      {CHART_STATUSES.map((status) => {
        const width = (share.counts[status] / total) * 100;
        const rect = (
          <rect key={status} className={`fill-${status}`} x={x} width={width} height="8" />
        );
        x += width;
        return width > 0 ? rect : null;
      })}
    </svg>
  );
}

function applicable(share: Share): number {
  return share.total - share.counts.not_applicable;
}

function Overall({ share }: { share: Share }) {
  return (
    <section className="card section overall" aria-labelledby="overall-heading">
      <h2 id="overall-heading" className="section-title">
        Controls passing
      </h2>
      <p className="overall-figure" data-testid="overall-percent">
        {formatPercent(share.percent)}
      </p>
      <p className="overall-caption">
        {share.passing} of {plural(applicable(share), "applicable control")} pass
        {share.counts.not_applicable > 0 &&
          ` (${share.counts.not_applicable} not applicable, left out)`}
        .
      </p>
      <ShareBar share={share} />
      <ul className="status-counts">
        {CHART_STATUSES.map((status) => (
          <li key={status}>
            <Link to={`/controls?status=${status}`} className="status-count">
              <span className={`legend-swatch status-${status}`} aria-hidden="true" />
              <span className="status-count-label">{statusLabel(status)}</span>
              <span className="status-count-value">{share.counts[status]}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Categories({ categories }: { categories: Dashboard["categories"] }) {
  return (
    <section className="section" aria-labelledby="categories-heading">
      <h2 id="categories-heading" className="section-title">
        By category
      </h2>
      <ul className="category-grid">
        {categories.map((category) => (
          <li key={category.name} data-category={category.name}>
            <Link className="category-card" to={`/controls#${slug(category.name)}`}>
              <span className="category-name">{category.name}</span>
              <span className="category-figure">
                <span className="category-percent">{formatPercent(category.percent)}</span>
                <span className="category-count">
                  {category.passing} of {applicable(category)} passing
                </span>
              </span>
              <ShareBar share={category} />
              {category.counts.failing > 0 && (
                <span className="category-failing">{category.counts.failing} failing</span>
              )}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function DashboardSummary({ dashboard }: { dashboard: Dashboard }) {
  return (
    <div className="summary-grid">
      <Overall share={dashboard.overall} />
      <Categories categories={dashboard.categories} />
    </div>
  );
}
