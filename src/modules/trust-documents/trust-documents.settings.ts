import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { sha256Hex } from "../../platform/crypto.ts";
import { applyChange } from "../change.ts";
import type { SettingsInput, SettingsView } from "./trust-documents.schema.ts";

/** The trust center's document settings: the NDA, auto-approved domains, link validity. */

export const DEFAULT_LINK_DAYS = 7;

export interface DocumentSettings {
  ndaText: string;
  autoApproveDomains: string[];
  linkDays: number;
  updatedAt: Date | null;
}

export async function readSettings(tx: Tx): Promise<DocumentSettings> {
  const row = await tx.selectFrom("trust_document_settings").selectAll().executeTakeFirst();
  return {
    ndaText: row?.nda_text ?? "",
    autoApproveDomains: row?.auto_approve_domains ?? [],
    linkDays: row?.link_days ?? DEFAULT_LINK_DAYS,
    updatedAt: row?.updated_at ?? null,
  };
}

/** The agreement's fingerprint, or null when there is no agreement to accept. */
export function ndaFingerprint(ndaText: string): string | null {
  return ndaText.trim() ? sha256Hex(ndaText) : null;
}

function presentSettings(s: DocumentSettings): SettingsView {
  return {
    ndaText: s.ndaText,
    ndaSha256: ndaFingerprint(s.ndaText),
    autoApproveDomains: s.autoApproveDomains,
    linkDays: s.linkDays,
    updatedAt: s.updatedAt,
  };
}

export async function getSettings(ctx: Context): Promise<SettingsView> {
  return presentSettings(await withTenant(ctx.db, ctx.organizationId, readSettings));
}

/** The settings are part of the trust center page (the NDA notice), so the change is announced. */
export async function updateSettings(ctx: Context, input: SettingsInput): Promise<SettingsView> {
  return applyChange(ctx, "trust-documents", async ({ tx, audit }) => {
    const before = await readSettings(tx);
    const updatedAt = new Date();
    const values = {
      nda_text: input.ndaText,
      auto_approve_domains: input.autoApproveDomains,
      link_days: input.linkDays,
      updated_by: actorUserId(ctx.actor),
      updated_at: updatedAt,
    };
    await tx
      .insertInto("trust_document_settings")
      .values({ organization_id: ctx.organizationId, ...values })
      .onConflict((oc) => oc.column("organization_id").doUpdateSet(values))
      .execute();
    const after = await readSettings(tx);
    await audit({
      action: "trust_documents.settings_updated",
      targetType: "trust_document_settings",
      targetId: ctx.organizationId,
      before: presentSettings(before),
      after: presentSettings(after),
    });
    return presentSettings(after);
  });
}
