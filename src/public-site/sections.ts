import type { Transaction } from "kysely";
import type { Database } from "../db/types.ts";
import type { SafeHtml } from "./html.ts";
import type { TrustSite } from "./site.ts";

/**
 * Areas add their part of the public trust center page (documents, notices, the reporting
 * channel) by declaring a section in their manifest (`trustSections`); installAreas registers
 * them here and the trust center renders them in order inside the layout. A section returns
 * null to show nothing.
 *
 * The page is cached: it is rendered again only when its freshness stamp changes. A section
 * whose content depends on its own tables must give `stamp`, a cheap query (for example the
 * max of updated_at and a count) whose answer changes whenever what it renders would.
 *
 * `summary` tells the publish confirmation what the section would show: its heading and the
 * titles it lists, or null when it shows nothing. A section without one is summarized by its
 * key when it renders something.
 */
export interface TrustSection {
  key: string;
  /** Position on the page, lower first (the trust center's own parts use 0–99). */
  order: number;
  render(tx: Transaction<Database>, site: TrustSite): Promise<SafeHtml | null>;
  stamp?(tx: Transaction<Database>): Promise<string>;
  summary?(tx: Transaction<Database>, site: TrustSite): Promise<SectionSummary | null>;
}

export interface SectionSummary {
  title: string;
  items: string[];
}

const sections = new Map<string, TrustSection>();

export function registerTrustSection(section: TrustSection): void {
  sections.set(section.key, section);
}

export function trustSections(): TrustSection[] {
  return [...sections.values()].sort((a, b) => a.order - b.order);
}
