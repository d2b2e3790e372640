import type { Tx } from "../../db/tenant.ts";
import { passingControlKeys } from "../monitoring/monitoring.queries.ts";
import { publishedPolicies } from "../policies/policies.queries.ts";
import type { TrustSettings } from "./trust-center.schema.ts";
import { controlCategories } from "./trust-center.service.ts";

export const SERVICES_CONTROL = "description-of-services";
export const COMMITMENTS_CONTROL = "security-commitments";

export type PublishedPolicy = Awaited<ReturnType<typeof publishedPolicies>>[number];

interface CatalogControl {
  key: string;
  title: string;
  description: string;
}

interface ShownCategory<C extends { key: string } = CatalogControl> {
  name: string;
  controls: C[];
}

/**
 * The categories and controls the settings list, in catalog order, empty categories left out.
 * "chosen" lists the categories chosen whole and the single controls chosen, nothing else;
 * "all" lists everything not hidden. "Only in place" then keeps the passing controls alone.
 */
export function selectControls<C extends { key: string }>(
  categories: ShownCategory<C>[],
  settings: Pick<
    TrustSettings,
    | "controlSelection"
    | "shownCategories"
    | "shownControls"
    | "hiddenCategories"
    | "hiddenControls"
    | "onlyInPlace"
  >,
  passing: ReadonlySet<string>,
): ShownCategory<C>[] {
  const listed =
    settings.controlSelection === "all"
      ? (category: ShownCategory<C>, key: string) =>
          !settings.hiddenCategories.includes(category.name) &&
          !settings.hiddenControls.includes(key)
      : (category: ShownCategory<C>, key: string) =>
          settings.shownCategories.includes(category.name) || settings.shownControls.includes(key);
  return categories
    .map((category) => ({
      name: category.name,
      controls: category.controls.filter(
        (control) =>
          listed(category, control.key) && (!settings.onlyInPlace || passing.has(control.key)),
      ),
    }))
    .filter((category) => category.controls.length > 0);
}

/** What the home page shows for the given settings, read in one tenant transaction. */
interface TrustContent {
  services: PublishedPolicy | undefined;
  commitments: PublishedPolicy | undefined;
  publicPolicies: PublishedPolicy[];
  categories: ShownCategory[];
  passing: ReadonlySet<string>;
  /** Controls listed, and of those, passing. */
  shown: number;
  inPlace: number;
}

export async function trustContent(tx: Tx, settings: TrustSettings): Promise<TrustContent> {
  const policies = await publishedPolicies(tx);
  const byControl = (key: string) => policies.find((p) => p.control_key === key);
  const passing = await passingControlKeys(tx);
  const categories = selectControls(await controlCategories(tx), settings, passing);
  const shown = categories.flatMap((c) => c.controls);
  return {
    services: settings.showDescriptionOfServices ? byControl(SERVICES_CONTROL) : undefined,
    commitments: settings.showSecurityCommitments ? byControl(COMMITMENTS_CONTROL) : undefined,
    publicPolicies: policies.filter((p) => p.visibility === "public"),
    categories,
    passing,
    shown: shown.length,
    inPlace: shown.filter((c) => passing.has(c.key)).length,
  };
}
