/**
 * Audit events in words: a label per action code ("Policy approved and published") and a
 * sentence per event ("Ada Lovelace approved and published version 3 of Access Control
 * Policy"), composed from the actor, the target's current name and the event's before/after
 * data. Pure: the names of targets are looked up by the caller and passed in.
 */

import { ACCOUNT_AND_PROGRAM_ACTIONS } from "./audit-actions.ts";
import { ACCESS_ACTIONS } from "./audit-actions-access.ts";
import { CONTINUITY_ACTIONS } from "./audit-actions-continuity.ts";
import { EXERCISES_ACTIONS } from "./audit-actions-exercises.ts";
import { FINDINGS_ACTIONS } from "./audit-actions-findings.ts";
import { INCIDENTS_ACTIONS } from "./audit-actions-incidents.ts";
import { KEY_ACTIONS } from "./audit-actions-keys.ts";
import { LESSONS_ACTIONS } from "./audit-actions-lessons.ts";
import { OUTWARD_ACTIONS } from "./audit-actions-outward.ts";
import { PENTESTS_ACTIONS } from "./audit-actions-pentests.ts";
import { REVIEW_ACTIONS } from "./audit-actions-reviews.ts";
import { SCANS_ACTIONS } from "./audit-actions-scans.ts";
import { SCIM_ACTIONS } from "./audit-actions-scim.ts";
import { SSO_ACTIONS } from "./audit-actions-sso.ts";
import { type Data, num, type Parts, str, words } from "./audit-words.ts";

export interface DescribableEvent {
  action: string;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
}

/** What is known of an event's target now: its name, and a policy version's number. */
interface TargetFacts {
  name: string | null;
  version?: number | null;
}

const ACTIONS = {
  ...ACCOUNT_AND_PROGRAM_ACTIONS,
  ...OUTWARD_ACTIONS,
  ...ACCESS_ACTIONS,
  ...REVIEW_ACTIONS,
  ...KEY_ACTIONS,
  ...SSO_ACTIONS,
  ...FINDINGS_ACTIONS,
  ...SCANS_ACTIONS,
  ...PENTESTS_ACTIONS,
  ...INCIDENTS_ACTIONS,
  ...LESSONS_ACTIONS,
  ...EXERCISES_ACTIONS,
  ...CONTINUITY_ACTIONS,
  ...SCIM_ACTIONS,
};

/** Every action code that has its own label and sentence. */
export const DESCRIBED_ACTIONS: readonly string[] = Object.keys(ACTIONS);

/** A short label for an action code; unknown codes read as their words ("widget frobbed"). */
export function actionLabel(action: string): string {
  const known = ACTIONS[action]?.label;
  if (known) return known;
  const text = words(action);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function asData(value: unknown): Data {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Data) : {};
}

/** Who acted, in words. */
function actorPhrase(event: Pick<DescribableEvent, "actorType" | "actorName">): string {
  switch (event.actorType) {
    case "user":
      return event.actorName ?? "A former user";
    case "token":
      return `${event.actorName ?? "A former user"} (API token)`;
    case "system":
      return event.actorName ? `Attest (${event.actorName})` : "Attest";
    case "visitor":
      return event.actorName ?? "A visitor";
    case "scim":
      return `SCIM token ${event.actorName ?? "(deleted)"}`;
    default:
      return "Someone";
  }
}

/** The event as one sentence, for people: the list, and the exports' summary column. */
export function describeAuditEvent(event: DescribableEvent, facts: TargetFacts): string {
  const before = asData(event.before);
  const after = asData(event.after);
  const dataName =
    str(after, "title") ??
    str(before, "title") ??
    str(after, "name") ??
    str(before, "name") ??
    str(after, "reference");
  const target = (fallback: string) => facts.name ?? dataName ?? fallback;
  const parts: Parts = {
    who: actorPhrase(event),
    target,
    version: () => {
      const n = facts.version ?? num(after, "version") ?? num(after, "currentVersion");
      const policy = target("a policy");
      return n === null ? `a version of ${policy}` : `version ${n} of ${policy}`;
    },
    before,
    after,
    self: event.actorId !== null && event.actorId === event.targetId,
  };
  const known = ACTIONS[event.action];
  if (known) return known.sentence(parts);
  const on = event.targetId
    ? `${words(event.targetType)} ${target(event.targetId)}`
    : words(event.targetType);
  return `${parts.who}: ${words(event.action)} (${on})`;
}
