// Who has acknowledged the current version, and who has not yet.
import { Link } from "react-router";
import { useCan } from "../../ui/session";
import type { Policy } from "./types";

const SHOWN = 12;

export function PolicyAcknowledgements({ policy }: { policy: Policy }) {
  const can = useCan();
  const ack = policy.acknowledgement;
  const current = policy.versions.find((v) => v.status === "published");
  if (!ack || !current) {
    return <p className="muted">Nobody is asked to acknowledge it until a version is published.</p>;
  }
  if (ack.audience === 0) {
    return <p className="muted">Nobody active is in this policy's audience.</p>;
  }
  const percent = Math.round((ack.acknowledged / ack.audience) * 100);
  return (
    <div className="stack">
      <p>
        <strong className="ack-figure">
          {ack.acknowledged} of {ack.audience}
        </strong>{" "}
        acknowledged version {current.version}
      </p>
      <svg className="share-bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
        <rect className="share-bar-track" width="100" height="8" />
        <rect className="fill-passing" width={percent} height="8" />
      </svg>
      {ack.pending.length > 0 && (
        <div>
          <h3 className="subsection-title">Not yet acknowledged</h3>
          <ul className="pending-list">
            {ack.pending.slice(0, SHOWN).map((person) => (
              <li key={person.personId}>
                {can("people.read") ? (
                  <Link to={`/people/${person.personId}`}>{person.name}</Link>
                ) : (
                  person.name
                )}
              </li>
            ))}
            {ack.pending.length > SHOWN && (
              <li className="muted">and {ack.pending.length - SHOWN} more</li>
            )}
          </ul>
        </div>
      )}
    </div>
  );
}
