import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import type { Context } from "../../platform/context.ts";
import { actorUserId } from "../../platform/context.ts";
import { sha256Hex } from "../../platform/crypto.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { controlCatalog } from "../controls/controls.queries.ts";
import { organizationName } from "../organizations/organizations.queries.ts";
import { userNames } from "../users/users.queries.ts";
import {
  DEFAULT_SETTINGS,
  resolveTrustSettings,
  type SettingsPatch,
  type TrustSettings,
} from "./trust-center.schema.ts";

/** The change source the trust center announces; its control tests also read "policies". */
export const TRUST_CENTER_SOURCE = "trust-center" as const;

export interface PublicationState {
  id: string;
  online: boolean;
  settings: TrustSettings;
  publishedAt: Date;
  publishedBy: string | null;
}

/** The publication in force now (the latest), or as of a past date. */
export async function publicationAsOf(tx: Tx, asOf?: Date): Promise<PublicationState | undefined> {
  const row = await tx
    .selectFrom("trust_center_publications")
    .select(["id", "online", "settings", "published_at", "published_by"])
    .$if(asOf !== undefined, (qb) => qb.where("published_at", "<=", asOf as Date))
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    online: row.online,
    settings: resolveTrustSettings(row.settings),
    publishedAt: row.published_at,
    publishedBy: row.published_by,
  };
}

export async function draftSettings(
  tx: Tx,
): Promise<{ settings: TrustSettings; updatedAt: Date | null }> {
  const row = await tx
    .selectFrom("trust_centers")
    .select(["draft", "updated_at"])
    .executeTakeFirst();
  return row
    ? { settings: resolveTrustSettings(row.draft), updatedAt: row.updated_at }
    : { settings: DEFAULT_SETTINGS, updatedAt: null };
}

/** The controls of the organization in catalog order, grouped by category. */
export async function controlCategories(tx: Tx) {
  const rows = await controlCatalog(tx);
  const categories: { name: string; controls: typeof rows }[] = [];
  for (const row of rows) {
    let category = categories.at(-1);
    if (category?.name !== row.category) {
      category = { name: row.category, controls: [] };
      categories.push(category);
    }
    category.controls.push(row);
  }
  return categories;
}

function sameSettings(a: TrustSettings, b: TrustSettings): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export async function getTrustCenter(ctx: Context) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const name = await organizationName(tx);
    const draft = await draftSettings(tx);
    const current = await publicationAsOf(tx);
    const history = await tx
      .selectFrom("trust_center_publications")
      .select(["id", "online", "published_at", "published_by"])
      .orderBy("published_at", "desc")
      .orderBy("id", "desc")
      .limit(50)
      .execute();
    const publishers = await userNames(
      tx,
      history.flatMap((p) => (p.published_by ? [p.published_by] : [])),
    );
    const logo = draft.settings.logoId
      ? await tx
          .selectFrom("trust_center_logos")
          .select(["id", "content_type", (eb) => eb.fn("length", ["data"]).as("size")])
          .where("id", "=", draft.settings.logoId)
          .executeTakeFirst()
      : undefined;
    const categories = await controlCategories(tx);
    const present = (p: (typeof history)[number]) => {
      const name = p.published_by ? publishers.get(p.published_by) : undefined;
      return {
        id: p.id,
        online: p.online,
        publishedAt: p.published_at,
        publishedBy: p.published_by && name ? { id: p.published_by, name } : null,
      };
    };
    const latest = history[0];
    return {
      draft: { ...draft.settings, companyName: draft.settings.displayName ?? name },
      draftUpdatedAt: draft.updatedAt,
      logo: logo ? { id: logo.id, contentType: logo.content_type, size: Number(logo.size) } : null,
      published:
        current && latest
          ? {
              ...present(latest),
              settings: { ...current.settings, companyName: current.settings.displayName ?? name },
            }
          : null,
      online: current?.online ?? false,
      hasUnpublishedChanges: !current?.online || !sameSettings(current.settings, draft.settings),
      publicUrl: "/trust",
      history: history.map(present),
      categories: categories.map((c) => ({
        name: c.name,
        controls: c.controls.map((k) => ({ key: k.key, title: k.title })),
      })),
    };
  });
}

export async function saveDraft(tx: Tx, ctx: Context, settings: TrustSettings) {
  const now = new Date();
  await tx
    .insertInto("trust_centers")
    .values({
      organization_id: ctx.organizationId,
      draft: JSON.stringify(settings),
      updated_by: actorUserId(ctx.actor),
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.column("organization_id").doUpdateSet({
        draft: JSON.stringify(settings),
        updated_by: actorUserId(ctx.actor),
        updated_at: now,
      }),
    )
    .execute();
}

/** Edits the draft: nothing public changes, so no control is re-evaluated. */
export async function updateDraft(ctx: Context, patch: SettingsPatch) {
  await applyChange(ctx, null, async ({ tx, audit }) => {
    const categories = await controlCategories(tx);
    const categoryNames = new Set(categories.map((c) => c.name));
    const controlKeys = new Set(categories.flatMap((c) => c.controls.map((k) => k.key)));
    const unique = (list: string[] | undefined, fallback: string[]) =>
      list ? [...new Set(list)] : fallback;
    for (const field of ["shownCategories", "hiddenCategories"] as const) {
      patch[field]?.forEach((name, i) => {
        if (!categoryNames.has(name))
          throw errors.validation(`${field}.${i}`, "is not a category of the catalog");
      });
    }
    for (const field of ["shownControls", "hiddenControls"] as const) {
      patch[field]?.forEach((key, i) => {
        if (!controlKeys.has(key))
          throw errors.validation(`${field}.${i}`, "is not a control of the catalog");
      });
    }
    const before = (await draftSettings(tx)).settings;
    const after: TrustSettings = {
      ...before,
      ...patch,
      shownCategories: unique(patch.shownCategories, before.shownCategories),
      shownControls: unique(patch.shownControls, before.shownControls),
      hiddenCategories: unique(patch.hiddenCategories, before.hiddenCategories),
      hiddenControls: unique(patch.hiddenControls, before.hiddenControls),
    };
    await saveDraft(tx, ctx, after);
    await audit({
      action: "trust_center.draft_updated",
      targetType: "trust_center",
      targetId: ctx.organizationId,
      before: changedFields(before, after, "before"),
      after: changedFields(before, after, "after"),
    });
  });
  return getTrustCenter(ctx);
}

/** Only the settings that changed, so the audit trail says what was edited. */
function changedFields(before: TrustSettings, after: TrustSettings, side: "before" | "after") {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof TrustSettings)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      out[key] = (side === "before" ? before : after)[key];
    }
  }
  return out;
}

/** Names one state of the draft: the publish summary gives it, publishing may require it. */
export function draftVersionOf(settings: TrustSettings): string {
  return sha256Hex(JSON.stringify(settings)).slice(0, 24);
}

/**
 * Makes the draft live and puts the trust center online. Given the draftVersion of the summary
 * the person confirmed, refuses a draft changed since (someone else saved in between).
 */
export async function publish(ctx: Context, input: { draftVersion?: string | undefined } = {}) {
  await applyChange(ctx, TRUST_CENTER_SOURCE, async ({ tx, audit }) => {
    const draft = (await draftSettings(tx)).settings;
    if (input.draftVersion !== undefined && input.draftVersion !== draftVersionOf(draft)) {
      throw errors.conflict(
        "The draft changed after this summary was made: review the summary again before publishing.",
        "draftVersion",
      );
    }
    const previous = await publicationAsOf(tx);
    const created = await tx
      .insertInto("trust_center_publications")
      .values({
        organization_id: ctx.organizationId,
        online: true,
        settings: JSON.stringify(draft),
        published_by: actorUserId(ctx.actor),
        published_at: nextPublicationTime(previous),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await audit({
      action: "trust_center.published",
      targetType: "trust_center_publication",
      targetId: created.id,
      before: previous ? { online: previous.online, publicationId: previous.id } : null,
      after: { online: true, settings: draft },
    });
  });
  return getTrustCenter(ctx);
}

/** Takes the trust center offline: a publication too, keeping the settings last published. */
export async function takeOffline(ctx: Context) {
  await applyChange(ctx, TRUST_CENTER_SOURCE, async ({ tx, audit }) => {
    const previous = await publicationAsOf(tx);
    if (!previous?.online) throw errors.invalidState("The trust center is not online.");
    const created = await tx
      .insertInto("trust_center_publications")
      .values({
        organization_id: ctx.organizationId,
        online: false,
        settings: JSON.stringify(previous.settings),
        published_by: actorUserId(ctx.actor),
        published_at: nextPublicationTime(previous),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await audit({
      action: "trust_center.taken_offline",
      targetType: "trust_center_publication",
      targetId: created.id,
      before: { online: true, publicationId: previous.id },
      after: { online: false },
    });
  });
  return getTrustCenter(ctx);
}

/** Publications are ordered by time: two in the same millisecond still come one after the other. */
function nextPublicationTime(previous: PublicationState | undefined): Date {
  const now = Date.now();
  return new Date(previous ? Math.max(now, previous.publishedAt.getTime() + 1) : now);
}
