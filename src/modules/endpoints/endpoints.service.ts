import type { Endpoint } from "../../db/tables/endpoints.ts";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { systemOwner } from "../systems/systems.queries.ts";
import {
  ENDPOINTS_SOURCE,
  findEndpoint,
  presentEndpoints,
  presentProbe,
} from "./endpoints.core.ts";
import { endpointLabel } from "./endpoints.queries.ts";
import type { EndpointPatch, EndpointView, NewEndpoint, ProbeView } from "./endpoints.schema.ts";

/** Registering, changing and archiving endpoints; reading them and their probe history. */

function snapshot(row: Endpoint) {
  return {
    host: row.host,
    port: row.port,
    httpPort: row.http_port,
    systemId: row.system_id,
    notes: row.notes,
    archivedAt: row.archived_at,
  };
}

/** A system of the inventory that is not archived, or a 400 naming systemId. */
async function checkSystem(tx: Tx, systemId: string | null | undefined): Promise<void> {
  if (!systemId) return;
  const system = await systemOwner(tx, systemId);
  if (!system) throw errors.validation("systemId", "is not a system of the inventory");
  if (system.archived) throw errors.validation("systemId", "is an archived system");
}

async function present(tx: Tx, row: Endpoint): Promise<EndpointView> {
  const [view] = await presentEndpoints(tx, [row]);
  if (!view) throw new Error("unreachable: one endpoint presented as none");
  return view;
}

async function checkUnique(tx: Tx, host: string, port: number): Promise<void> {
  const taken = await tx
    .selectFrom("endpoints")
    .select("id")
    .where("host", "=", host)
    .where("port", "=", port)
    .where("archived_at", "is", null)
    .executeTakeFirst();
  if (taken) {
    throw errors.conflict(`${endpointLabel({ host, port })} is already registered.`, "host");
  }
}

export async function registerEndpoint(ctx: Context, input: NewEndpoint): Promise<EndpointView> {
  return applyChange(ctx, ENDPOINTS_SOURCE, async ({ tx, audit }) => {
    await checkSystem(tx, input.systemId);
    await checkUnique(tx, input.host, input.port);
    const row = await tx
      .insertInto("endpoints")
      .values({
        organization_id: ctx.organizationId,
        host: input.host,
        port: input.port,
        http_port: input.httpPort,
        system_id: input.systemId ?? null,
        notes: input.notes ?? "",
        created_by: actorUserId(ctx.actor),
        created_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "endpoint.registered",
      targetType: "endpoint",
      targetId: row.id,
      before: null,
      after: snapshot(row),
    });
    return present(tx, row);
  });
}

export async function updateEndpoint(
  ctx: Context,
  id: string,
  patch: EndpointPatch,
): Promise<EndpointView> {
  return applyChange(ctx, ENDPOINTS_SOURCE, async ({ tx, audit }) => {
    const before = await findEndpoint(tx, id);
    if (before.archived_at) throw errors.conflict("The endpoint is archived.");
    await checkSystem(tx, patch.systemId);
    const row = await tx
      .updateTable("endpoints")
      .set({
        ...(patch.httpPort === undefined ? {} : { http_port: patch.httpPort }),
        ...(patch.systemId === undefined ? {} : { system_id: patch.systemId }),
        ...(patch.notes === undefined ? {} : { notes: patch.notes }),
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "endpoint.updated",
      targetType: "endpoint",
      targetId: id,
      before: snapshot(before),
      after: snapshot(row),
    });
    return present(tx, row);
  });
}

/** Archived: it stops counting from now on (the check still reads it for earlier dates). */
export async function archiveEndpoint(ctx: Context, id: string): Promise<EndpointView> {
  return applyChange(ctx, ENDPOINTS_SOURCE, async ({ tx, audit }) => {
    const before = await findEndpoint(tx, id);
    if (before.archived_at) throw errors.conflict("The endpoint is already archived.");
    const row = await tx
      .updateTable("endpoints")
      .set({ archived_at: new Date(), updated_at: new Date(), probe_claimed_at: null })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "endpoint.archived",
      targetType: "endpoint",
      targetId: id,
      before: snapshot(before),
      after: snapshot(row),
    });
    return present(tx, row);
  });
}

export async function listEndpoints(
  ctx: Context,
  query: { archived: "true" | "false" },
): Promise<EndpointView[]> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    let select = tx.selectFrom("endpoints").selectAll();
    if (query.archived === "false") select = select.where("archived_at", "is", null);
    const rows = await select.orderBy("host").orderBy("port").orderBy("id").execute();
    return presentEndpoints(tx, rows);
  });
}

export async function getEndpoint(ctx: Context, id: string): Promise<EndpointView> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) =>
    present(tx, await findEndpoint(tx, id)),
  );
}

/** The endpoint's probes, the newest first. */
export async function listProbes(ctx: Context, id: string, limit: number): Promise<ProbeView[]> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    await findEndpoint(tx, id);
    const rows = await tx
      .selectFrom("endpoint_probes")
      .selectAll()
      .where("endpoint_id", "=", id)
      .orderBy("probed_at", "desc")
      .orderBy("created_at", "desc")
      .limit(limit)
      .execute();
    return rows.map(presentProbe);
  });
}
