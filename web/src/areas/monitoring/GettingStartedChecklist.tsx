// The dashboard's "Getting started" checklist for owners and admins: each step computed by
// the server from the organization's data, with how far it is; gone once every step is done.
import { Link } from "react-router";
import { plural } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { useGettingStarted } from "./queries";
import type { GettingStartedKey, GettingStartedStep } from "./types";

const LABELS: Record<GettingStartedKey, string> = {
  "owner-two-factor": "Turn on two-factor authentication for every owner",
  team: "Invite your team and assign roles",
  "control-owners": "Give every control an owner",
  policies: "Publish your policies from the templates",
};

function progress(step: GettingStartedStep): string {
  const total = step.total ?? 0;
  switch (step.key) {
    case "owner-two-factor":
      return total === 1
        ? `The owner has ${step.done ? "turned it on" : "not turned it on yet"}`
        : `${step.count} of ${total} owners have it on`;
    case "team":
      return step.count <= 1 ? "Only you so far" : `${plural(step.count, "active user")}`;
    case "control-owners":
      return `${step.count} of ${total} controls owned`;
    case "policies":
      return `${step.count} of ${total} policies published`;
  }
}

export function GettingStartedChecklist() {
  const checklist = useGettingStarted(true);
  // Nothing to show while loading, on an error (the rest of the dashboard still stands), or
  // once every step is done.
  if (!checklist.isSuccess || checklist.data.complete) return null;
  return (
    <section className="section card" aria-labelledby="start-heading">
      <h2 id="start-heading" className="section-title">
        Getting started
      </h2>
      <ol className="checklist">
        {checklist.data.steps.map((step) => (
          <li
            key={step.key}
            className={step.done ? "checklist-item checklist-done" : "checklist-item"}
          >
            <span className="checklist-mark" aria-hidden="true">
              {step.done && <Icon name="check" />}
            </span>
            <div>
              <Link to={step.link}>{LABELS[step.key]}</Link>
              {step.done && <span className="visually-hidden"> (done)</span>}
              <div className="muted">{progress(step)}</div>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
