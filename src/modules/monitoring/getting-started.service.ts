import { withTenant } from "../../db/tenant.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { controlOwnerCounts } from "../controls/controls.queries.ts";
import { publishedPolicies } from "../policies/policies.queries.ts";
import { listTemplates } from "../policies/policies.service.ts";
import { activeUserCounts } from "../users/users.queries.ts";

export const GETTING_STARTED_STEPS = [
  "owner-two-factor",
  "team",
  "control-owners",
  "policies",
] as const;
export type GettingStartedStep = (typeof GETTING_STARTED_STEPS)[number];

interface StepState {
  key: GettingStartedStep;
  done: boolean;
  /** What is done so far: owners with two-factor, active users, owned controls, policies. */
  count: number;
  /** Out of how many; null where there is no fixed total (the team). */
  total: number | null;
  /** The page of the web app where the step is done. */
  link: string;
}

/**
 * The dashboard's "Getting started" checklist, computed from the organization's data:
 * - every active owner has two-factor sign-in on (every owner, not only the one looking: an
 *   owner account without it is the weakest way into everything the organization holds);
 * - more than one active user;
 * - every control has an owner who has not been deactivated;
 * - every policy of the catalog has a current published version (a policy written for the
 *   same control counts, as it does for the control's own tests).
 * `complete` is true once every step is done: the checklist is then not shown.
 */
export async function gettingStarted(ctx: Context, now = new Date()) {
  const viewerId = actorUserId(ctx.actor);
  const catalogControls = new Set(listTemplates().map((t) => t.controlKey));
  const data = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const users = await activeUserCounts(tx, now, viewerId);
    const controls = await controlOwnerCounts(tx);
    const published = new Set(
      (await publishedPolicies(tx)).map((p) => p.control_key).filter(Boolean),
    );
    return { users, controls, published };
  });

  const owners = Number(data.users.owners);
  const ownersWithMfa = Number(data.users.ownersWithMfa);
  const active = Number(data.users.active);
  const controls = Number(data.controls.total);
  const owned = Number(data.controls.owned);
  const policies = [...catalogControls].filter((key) => data.published.has(key)).length;
  const steps: StepState[] = [
    {
      key: "owner-two-factor",
      done: owners > 0 && ownersWithMfa === owners,
      count: ownersWithMfa,
      total: owners,
      // An owner without it turns it on for themselves; anyone else sees who has it on.
      link: data.users.viewerNeedsMfa ? "/account#two-factor" : "/settings/users",
    },
    { key: "team", done: active > 1, count: active, total: null, link: "/settings/users" },
    {
      key: "control-owners",
      done: controls > 0 && owned === controls,
      count: owned,
      total: controls,
      link: "/controls",
    },
    {
      key: "policies",
      done: policies === catalogControls.size,
      count: policies,
      total: catalogControls.size,
      link: "/policies",
    },
  ];
  return { complete: steps.every((s) => s.done), steps };
}
