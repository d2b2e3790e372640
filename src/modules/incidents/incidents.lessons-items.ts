import type { FastifyBaseLogger } from "fastify";
import type { IncidentActionItem } from "../../db/tables/incidents.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { dayText, isoDay } from "../../domain/dates.ts";
import { can, type Role } from "../../domain/permissions.ts";
import type { Context } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { errors } from "../../platform/errors.ts";
import { encodeCursor } from "../../platform/http/schemas.ts";
import type { MailMessage } from "../../platform/mail.ts";
import { applyChange } from "../change.ts";
import { userNames, userStatus } from "../users/users.queries.ts";
import { findIncident, INCIDENTS_SOURCE, incidentReference } from "./incidents.core.ts";
import type {
  ActionItemPatch,
  ActionItemView,
  MyActionItemView,
  NewActionItem,
} from "./incidents.lessons.schema.ts";

/**
 * The action items of lessons learned: what the team will improve, each with an owner (an
 * active user of the organization: 400 naming ownerId otherwise) and a due day, tracked to
 * completion. An item is completed by its owner or by someone who manages incidents (403
 * saying why for anyone else). Reminders: incidents.lessons-jobs.ts.
 */

export function lessonsLink(incidentId: string): string {
  return `/incidents/${encodeURIComponent(incidentId)}/lessons`;
}

/** The signed-in user (or token) acting: lessons and items are always someone's doing. */
export function actingUser(ctx: Context): { userId: string; name: string; role: Role } {
  const actor = ctx.actor;
  if (actor.type !== "user" && actor.type !== "token") throw errors.forbidden();
  return { userId: actor.userId, name: actor.name, role: actor.role };
}

/** Sends each mail, best effort: a failure is logged, the rest still go. Answers how many went. */
export async function mailEach(
  deps: Deps,
  mails: MailMessage[],
  log: FastifyBaseLogger | undefined,
  failure: string,
): Promise<number> {
  const mailer = deps.mailer;
  if (!mailer) return 0;
  let sent = 0;
  for (const mail of mails) {
    try {
      await mailer.send(mail);
      sent++;
    } catch (error) {
      log?.error({ err: error }, failure);
    }
  }
  return sent;
}

/** Action items as the API answers them; overdue is judged against today (UTC). */
export async function presentItems(
  tx: Tx,
  rows: IncidentActionItem[],
  today = isoDay(new Date()),
): Promise<ActionItemView[]> {
  const names = await userNames(
    tx,
    rows.flatMap((r) => [r.owner_id, ...(r.completed_by ? [r.completed_by] : [])]),
  );
  const name = (id: string) => names.get(id) ?? "A removed user";
  return rows.map((r) => ({
    id: r.id,
    incidentId: r.incident_id,
    title: r.title,
    owner: { id: r.owner_id, name: name(r.owner_id) },
    dueOn: dayText(r.due_on),
    completedAt: r.completed_at,
    completedBy: r.completed_by ? { id: r.completed_by, name: name(r.completed_by) } : null,
    completionNote: r.completion_note,
    overdue: r.completed_at === null && dayText(r.due_on) < today,
  }));
}

function snapshot(row: IncidentActionItem) {
  return { title: row.title, ownerId: row.owner_id, dueOn: dayText(row.due_on) };
}

async function assertActiveOwner(tx: Tx, ownerId: string) {
  if ((await userStatus(tx, ownerId)) !== "active") {
    throw errors.validation("ownerId", "must be an active user of the organization");
  }
}

function assertNotPast(dueOn: string) {
  if (dueOn < isoDay(new Date())) throw errors.validation("dueOn", "must not be in the past");
}

async function findItem(tx: Tx, id: string): Promise<IncidentActionItem> {
  const row = await tx
    .selectFrom("incident_action_items")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw errors.notFound("The action item");
  return row;
}

async function present(tx: Tx, row: IncidentActionItem): Promise<ActionItemView> {
  const [view] = await presentItems(tx, [row]);
  return view as ActionItemView;
}

/** Adds an action item to the incident's lessons learned (written first: 409 otherwise). */
export async function addActionItem(
  ctx: Context,
  incidentId: string,
  body: NewActionItem,
): Promise<ActionItemView> {
  actingUser(ctx);
  assertNotPast(body.dueOn);
  return applyChange(ctx, INCIDENTS_SOURCE, async ({ tx, audit }) => {
    await findIncident(tx, incidentId);
    const lessons = await tx
      .selectFrom("incident_lessons")
      .select("id")
      .where("incident_id", "=", incidentId)
      .executeTakeFirst();
    if (!lessons) throw errors.invalidState("Write the lessons learned before their action items.");
    await assertActiveOwner(tx, body.ownerId);
    const row = await tx
      .insertInto("incident_action_items")
      .values({
        organization_id: ctx.organizationId,
        incident_id: incidentId,
        lessons_id: lessons.id,
        title: body.title,
        owner_id: body.ownerId,
        due_on: body.dueOn,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "incident_action_item.created",
      targetType: "incident_action_item",
      targetId: row.id,
      before: null,
      after: snapshot(row),
    });
    return present(tx, row);
  });
}

/**
 * Changes an open item; a new owner or due day starts its reminders afresh.
 */
export async function updateActionItem(
  ctx: Context,
  id: string,
  patch: ActionItemPatch,
): Promise<ActionItemView> {
  actingUser(ctx);
  if (patch.dueOn !== undefined) assertNotPast(patch.dueOn);
  return applyChange(ctx, INCIDENTS_SOURCE, async ({ tx, audit }) => {
    const row = await findItem(tx, id);
    if (row.completed_at) throw errors.invalidState("The action item is completed.");
    if (patch.ownerId !== undefined) await assertActiveOwner(tx, patch.ownerId);
    const ownerId = patch.ownerId ?? row.owner_id;
    const dueOn = patch.dueOn ?? dayText(row.due_on);
    const restart = ownerId !== row.owner_id || dueOn !== dayText(row.due_on);
    const updated = await tx
      .updateTable("incident_action_items")
      .set({
        title: patch.title ?? row.title,
        owner_id: ownerId,
        due_on: dueOn,
        ...(restart ? { due_soon_reminded_at: null, overdue_reminded_at: null } : {}),
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const before = snapshot(row);
    const after = snapshot(updated);
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await audit({
        action: "incident_action_item.updated",
        targetType: "incident_action_item",
        targetId: id,
        before,
        after,
      });
    }
    return present(tx, updated);
  });
}

/** Why the caller may not complete the item, or null when they may. */
export function whyNotComplete(ctx: Context, item: Pick<IncidentActionItem, "owner_id">) {
  const me = actingUser(ctx);
  if (item.owner_id === me.userId || can(me.role, "incidents.manage")) return null;
  return "Only the action item's owner, or someone who manages incidents, may complete it.";
}

export async function completeActionItem(
  ctx: Context,
  id: string,
  note: string | undefined,
): Promise<ActionItemView> {
  const me = actingUser(ctx);
  return applyChange(ctx, INCIDENTS_SOURCE, async ({ tx, audit }) => {
    const row = await findItem(tx, id);
    const why = whyNotComplete(ctx, row);
    if (why) throw errors.forbidden(why);
    if (row.completed_at) throw errors.invalidState("The action item is already completed.");
    const now = new Date();
    const updated = await tx
      .updateTable("incident_action_items")
      .set({
        completed_at: now,
        completed_by: me.userId,
        completion_note: note || null,
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "incident_action_item.completed",
      targetType: "incident_action_item",
      targetId: id,
      before: { completedAt: null },
      after: { completedAt: now.toISOString(), note: note || null },
    });
    return present(tx, updated);
  });
}

export interface ItemPosition {
  dueOn: string;
  id: string;
}

/** The caller's action items, the earliest due first. */
export async function listMyActionItems(
  ctx: Context,
  options: {
    status: "open" | "completed" | "all";
    limit: number;
    after?: ItemPosition | undefined;
  },
) {
  const me = actingUser(ctx);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    let query = tx
      .selectFrom("incident_action_items as a")
      .innerJoin("incidents as i", "i.id", "a.incident_id")
      .selectAll("a")
      .select(["i.number as incident_number", "i.title as incident_title"])
      .where("a.owner_id", "=", me.userId)
      .orderBy("a.due_on")
      .orderBy("a.id")
      .limit(options.limit + 1);
    if (options.status === "open") query = query.where("a.completed_at", "is", null);
    if (options.status === "completed") query = query.where("a.completed_at", "is not", null);
    const after = options.after;
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb("a.due_on", ">", after.dueOn),
          eb.and([eb("a.due_on", "=", after.dueOn), eb("a.id", ">", after.id)]),
        ]),
      );
    }
    const rows = await query.execute();
    const page = rows.slice(0, options.limit);
    const views = await presentItems(
      tx,
      page.map(({ incident_number: _n, incident_title: _t, ...row }) => row),
    );
    const items: MyActionItemView[] = views.map((view, index) => {
      const row = page[index] as (typeof page)[number];
      return {
        ...view,
        incident: {
          id: row.incident_id,
          reference: incidentReference(row.incident_number),
          title: row.incident_title,
        },
      };
    });
    const last = page.at(-1);
    const next =
      rows.length > options.limit && last
        ? encodeCursor({ dueOn: dayText(last.due_on), id: last.id })
        : null;
    return { items, nextCursor: next };
  });
}
