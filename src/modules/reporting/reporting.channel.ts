import { sql } from "kysely";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { PERMISSIONS, type Role } from "../../domain/permissions.ts";
import type { Actor, Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { organizationSettings } from "../organizations/organizations.queries.ts";
import { activeUsersWithRoles } from "../users/users.queries.ts";
import { REPORT_CATEGORIES, type ReportCategory } from "./reporting.schema.ts";

/**
 * The confidential reporting channel. Anyone submits a report on the public form without an
 * account and follows it up with the key shown once (reporting.intake.ts); the organization's
 * designated handlers read, answer and close reports (reporting.handling.ts). Nothing about the
 * reporter is stored unless they give it (contact details, encrypted); every text is
 * encrypted; every handler's read is audited. This file: the channel's settings and who
 * handles its reports.
 */
export const SOURCE = "reporting";

export const DEFAULT_INTRO =
  "Tell us about a security weakness, unethical or illegal conduct, a privacy concern or " +
  "anything else you think we should know. You may stay anonymous: you will get a follow-up " +
  "key to read our answers and reply without giving your name.";

const HANDLER_ROLES: readonly Role[] = PERMISSIONS["reports.handle"];

export interface Channel {
  enabled: boolean;
  intro: string;
  categories: ReportCategory[];
}

/** The channel as the public sees it, with the deadlines the organization promises. */
export interface PublicChannel extends Channel {
  acknowledgeDays: number;
  feedbackDays: number;
}

export async function loadChannel(tx: Tx): Promise<Channel> {
  const row = await tx
    .selectFrom("reporting_channels")
    .select(["enabled", "intro", "categories"])
    .executeTakeFirst();
  if (!row) return { enabled: true, intro: DEFAULT_INTRO, categories: [...REPORT_CATEGORIES] };
  return {
    enabled: row.enabled,
    intro: row.intro.trim() === "" ? DEFAULT_INTRO : row.intro,
    categories: REPORT_CATEGORIES.filter((c) => row.categories.includes(c)),
  };
}

export async function loadPublicChannel(tx: Tx, organizationId: string): Promise<PublicChannel> {
  const settings = await organizationSettings(tx, organizationId);
  return {
    ...(await loadChannel(tx)),
    acknowledgeDays: settings.reportAcknowledgeDays,
    feedbackDays: settings.reportFeedbackDays,
  };
}

// Handlers.

export interface HandlerUser {
  userId: string;
  name: string;
  email: string;
  role: Role;
}

/**
 * The people who read reports: the designated handlers who are active and still hold a role
 * with reports.handle; when there are none, the organization's active owners, so a fresh
 * installation has someone to read its reports.
 */
export async function currentHandlers(
  tx: Tx,
): Promise<{ designated: boolean; users: HandlerUser[] }> {
  const designatedIds = (await tx.selectFrom("report_handlers").select("user_id").execute()).map(
    (r) => r.user_id,
  );
  const designated = await activeUsersWithRoles(tx, HANDLER_ROLES, designatedIds);
  if (designated.length > 0) return { designated: true, users: designated };
  return { designated: false, users: await activeUsersWithRoles(tx, ["owner"]) };
}

export function actingUserId(actor: Actor): string {
  if (actor.type !== "user" && actor.type !== "token") throw errors.forbidden();
  return actor.userId;
}

export async function assertHandler(tx: Tx, actor: Actor): Promise<void> {
  const userId = actingUserId(actor);
  const { users, designated } = await currentHandlers(tx);
  if (!users.some((u) => u.userId === userId)) {
    throw errors.forbidden(
      designated
        ? "Only the designated handlers read and handle confidential reports; an owner can designate you in the reporting settings."
        : "Until handlers are designated, only the organization's owners read confidential reports; an owner can designate you in the reporting settings.",
    );
  }
}

export async function getChannel(ctx: Context) {
  const userId = actingUserId(ctx.actor);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const channel = await loadChannel(tx);
    const handlers = await currentHandlers(tx);
    const eligible = await activeUsersWithRoles(tx, HANDLER_ROLES);
    const settings = await organizationSettings(tx, ctx.organizationId);
    const stored = await tx.selectFrom("reporting_channels").select("intro").executeTakeFirst();
    return {
      ...channel,
      // The organization's own text; empty means the default the public sees.
      intro: stored?.intro ?? "",
      handlersDesignated: handlers.designated,
      handlers: handlers.users,
      eligible,
      youAreHandler: handlers.users.some((u) => u.userId === userId),
      youMayDesignate: "role" in ctx.actor && ctx.actor.role === "owner",
      acknowledgeDays: settings.reportAcknowledgeDays,
      feedbackDays: settings.reportFeedbackDays,
    };
  });
}

export interface ChannelChanges {
  enabled?: boolean | undefined;
  intro?: string | undefined;
  categories?: ReportCategory[] | undefined;
}

/** Owners and the current handlers change the channel; turning it on or off is dated. */
export async function updateChannel(ctx: Context, changes: ChannelChanges) {
  await applyChange(ctx, SOURCE, async ({ tx, audit }) => {
    const isOwner = "role" in ctx.actor && ctx.actor.role === "owner";
    if (!isOwner) await assertHandler(tx, ctx.actor);
    const before = await loadChannel(tx);
    const stored = await tx.selectFrom("reporting_channels").select("intro").executeTakeFirst();
    const after: Channel = {
      enabled: changes.enabled ?? before.enabled,
      intro: changes.intro ?? stored?.intro ?? "",
      categories: changes.categories
        ? REPORT_CATEGORIES.filter((c) => changes.categories?.includes(c))
        : before.categories,
    };
    await tx
      .insertInto("reporting_channels")
      .values({ organization_id: ctx.organizationId, ...after, updated_at: new Date() })
      .onConflict((oc) =>
        oc.column("organization_id").doUpdateSet({ ...after, updated_at: new Date() }),
      )
      .execute();
    if (after.enabled !== before.enabled) {
      await tx
        .insertInto("reporting_channel_changes")
        .values({ organization_id: ctx.organizationId, enabled: after.enabled })
        .execute();
    }
    await audit({
      action: "reporting.channel_updated",
      targetType: "reporting_channel",
      targetId: ctx.organizationId,
      before: {
        enabled: before.enabled,
        intro: stored?.intro ?? "",
        categories: before.categories,
      },
      after,
    });
  });
  return getChannel(ctx);
}

/** Owners designate the handlers among active owners and admins; none means the owners. */
export async function designateHandlers(ctx: Context, userIds: string[]) {
  if (!("role" in ctx.actor) || ctx.actor.role !== "owner") {
    throw errors.forbidden("Only owners designate who handles confidential reports.");
  }
  const designatedBy = actingUserId(ctx.actor);
  const wanted = [...new Set(userIds)];
  await applyChange(ctx, SOURCE, async ({ tx, audit }) => {
    const eligible = await activeUsersWithRoles(tx, HANDLER_ROLES, wanted);
    const missing = wanted.filter((id) => !eligible.some((e) => e.userId === id));
    if (missing.length > 0) {
      throw errors.validation(
        "userIds",
        `${missing.join(", ")} ${missing.length === 1 ? "is not an active owner or admin" : "are not active owners or admins"} of this organization`,
      );
    }
    // Two designations at once would each delete, then insert the same rows: one at a time.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`report-handlers:${ctx.organizationId}`}, 0))`.execute(
      tx,
    );
    const before = (
      await tx.selectFrom("report_handlers").select("user_id").orderBy("user_id").execute()
    ).map((r) => r.user_id);
    await tx.deleteFrom("report_handlers").execute();
    if (wanted.length > 0) {
      await tx
        .insertInto("report_handlers")
        .values(
          wanted.map((userId) => ({
            organization_id: ctx.organizationId,
            user_id: userId,
            designated_by: designatedBy,
          })),
        )
        .execute();
    }
    await audit({
      action: "reporting.handlers_designated",
      targetType: "reporting_channel",
      targetId: ctx.organizationId,
      before: { userIds: before },
      after: { userIds: [...wanted].sort() },
    });
  });
  return getChannel(ctx);
}
