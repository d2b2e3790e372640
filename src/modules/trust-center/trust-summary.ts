import { withTenant } from "../../db/tenant.ts";
import type { Context } from "../../platform/context.ts";
import { type SectionSummary, trustSections } from "../../public-site/sections.ts";
import type { TrustSite } from "../../public-site/site.ts";
import { organizationName } from "../organizations/organizations.queries.ts";
import { draftSettings, draftVersionOf, publicationAsOf } from "./trust-center.service.ts";
import { trustContent } from "./trust-content.ts";

/**
 * What publishing the draft now would make public, for the confirmation a person reads before
 * publishing: the sections in page order with what each lists, and the controls in place and
 * in progress as of now (the page shows live status, so these are today's figures).
 */
export async function publishSummary(ctx: Context) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const { settings } = await draftSettings(tx);
    const current = await publicationAsOf(tx);
    const companyName = settings.displayName ?? (await organizationName(tx));
    const content = await trustContent(tx, settings);
    const sections: ({ key: string } & SectionSummary)[] = [];
    const version = (p: { title: string; version: number }) => `${p.title}, version ${p.version}`;
    if (content.services) {
      sections.push({
        key: "services",
        title: "Description of Services",
        items: [version(content.services)],
      });
    }
    if (content.commitments) {
      sections.push({
        key: "commitments",
        title: "Security Commitments",
        items: [version(content.commitments)],
      });
    }
    if (content.categories.length > 0) {
      sections.push({
        key: "controls",
        title: "Security controls",
        items: content.categories.map((c) => `${c.name} (${c.controls.length})`),
      });
    }
    if (content.publicPolicies.length > 0) {
      sections.push({
        key: "policies",
        title: "Policies",
        items: content.publicPolicies.map(version),
      });
    }
    const site: TrustSite = {
      organizationId: ctx.organizationId,
      companyName,
      basePath: "/trust",
      online: true,
    };
    for (const section of trustSections()) {
      const summary = section.summary
        ? await section.summary(tx, site)
        : (await section.render(tx, site))
          ? { title: section.key, items: [] }
          : null;
      if (summary) sections.push({ key: section.key, ...summary });
    }
    const draftVersion = draftVersionOf(settings);
    return {
      online: current?.online ?? false,
      firstPublication: current === undefined,
      hasUnpublishedChanges: !current?.online || draftVersionOf(current.settings) !== draftVersion,
      draftVersion,
      companyName,
      sections,
      controls: {
        shown: content.shown,
        inPlace: content.inPlace,
        inProgress: content.shown - content.inPlace,
        onlyInPlace: settings.onlyInPlace,
      },
    };
  });
}
