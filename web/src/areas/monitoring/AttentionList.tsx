// The dashboard's to-do list: failing and due-soon controls, most urgent first, each with
// its owner, next deadline and the first records to fix.
import { useState } from "react";
import { Link } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { formatDate, plural } from "../../ui/format";
import { OffenderList, uniqueOffenders } from "../../ui/Offenders";
import { StatusBadge } from "../../ui/StatusBadge";
import type { AttentionItem } from "./types";

const FIRST = 6;
const OFFENDERS_SHOWN = 3;

function Item({ item }: { item: AttentionItem }) {
  const offenders = uniqueOffenders(item.tests.flatMap((t) => t.offenders));
  const shown = offenders.slice(0, OFFENDERS_SHOWN);
  // Records the API counted but did not list, plus listed ones not shown here.
  const unlisted = item.tests.reduce(
    (sum, t) => sum + Math.max(0, t.offenderCount - t.offenders.length),
    0,
  );
  const more = offenders.length - shown.length + unlisted;
  return (
    <li className="attention-item" data-attention-key={item.controlKey}>
      <div className="attention-head">
        <Link className="attention-title" to={`/controls/${encodeURIComponent(item.controlKey)}`}>
          {item.title}
        </Link>
        <StatusBadge status={item.status} />
      </div>
      <p className="attention-meta">
        <span>{item.category}</span>
        <span>
          {item.owner ? (
            <>Owner: {item.owner.name}</>
          ) : (
            <span className="attention-no-owner">No owner</span>
          )}
        </span>
        {item.nextDueAt && <span>Next due {formatDate(item.nextDueAt)}</span>}
      </p>
      <OffenderList offenders={shown} more={more} />
    </li>
  );
}

export function AttentionList({ items }: { items: AttentionItem[] }) {
  const [showAll, setShowAll] = useState(false);
  const visible = showAll ? items : items.slice(0, FIRST);
  return (
    <section className="card section" aria-labelledby="attention-heading">
      <div className="section-heading-row">
        <h2 id="attention-heading" className="section-title">
          Needs attention
        </h2>
        {items.length > 0 && <span className="count-pill">{plural(items.length, "control")}</span>}
      </div>
      {items.length === 0 ? (
        <EmptyState icon="check" title="Nothing needs attention" headingLevel={3}>
          <p>No control is failing or coming due. Attest keeps checking.</p>
        </EmptyState>
      ) : (
        <ol className="attention-list">
          {visible.map((item) => (
            <Item key={item.controlKey} item={item} />
          ))}
        </ol>
      )}
      {items.length > FIRST && (
        <button
          type="button"
          className="button button-secondary button-small attention-more"
          aria-expanded={showAll}
          onClick={() => setShowAll((v) => !v)}
        >
          {showAll ? "Show fewer" : `Show all ${items.length}`}
        </button>
      )}
    </section>
  );
}
