// A control's automated tests: state, the evaluation's sentence, and the records behind it.

import { EmptyState } from "../../ui/EmptyState";
import { OffenderList } from "../../ui/Offenders";
import { StatusBadge } from "../../ui/StatusBadge";
import type { Control } from "../../ui/schema";

export function TestResults({ control }: { control: Control }) {
  if (control.tests.length === 0) {
    return (
      <EmptyState icon="clock" title="No automated tests yet" headingLevel={3}>
        <p>This control has no automated test in the catalog.</p>
      </EmptyState>
    );
  }
  return (
    <ul className="test-list">
      {control.tests.map((test) => (
        <li key={test.key} className="test-item" data-test-key={test.key}>
          <div className="test-item-header">
            <h3 className="test-name">{test.description}</h3>
            <StatusBadge status={test.state} />
          </div>
          <p className="test-key mono">{test.key}</p>
          {test.message && <p className="test-message">{test.message}</p>}
          <OffenderList
            offenders={test.offenders}
            more={Math.max(0, test.offenderCount - test.offenders.length)}
          />
        </li>
      ))}
    </ul>
  );
}
