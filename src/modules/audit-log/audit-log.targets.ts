import type { Tx } from "../../db/tenant.ts";

/**
 * What an audit event's target is now: its name, where it lives in the web app, and whether it
 * is gone. Each area labels the targets it owns: its manifest's `auditTargets` names, per
 * target type, a lookup in its `<area>.queries.ts` (or the one page the type stands for), and
 * installAreas registers them here, so the audit log reads no other area's tables. A whole
 * page of events costs one lookup per kind of target, inside the caller's tenant transaction
 * (so another organization's records are never found).
 */
export interface ResolvedTarget {
  name: string | null;
  /** The policy version's number, for policy_version targets. */
  version: number | null;
  /** The web app's page for the target, or null when there is none (or it is gone). */
  path: string | null;
  /** The record no longer exists (deleted), so there is nothing to link to. */
  deleted: boolean;
}

/** A target a lookup found: its id (as the events name it), name, page and version. */
export interface FoundTarget {
  id: string;
  name: string | null;
  version?: number;
  path: string | null;
}

/**
 * How the audit log labels one type of target:
 * - `find`: the targets still present among `ids` (the others show as deleted). Ids are uuids
 *   unless `byKey` (controls are named by key); events naming no valid id are not looked up.
 * - `page`: the organization's single page of something (the trust center): no lookup.
 */
export type AuditTarget =
  | { find: (tx: Tx, ids: string[]) => Promise<FoundTarget[]>; byKey?: boolean }
  | { page: { name: string | null; path: string } };

/** An area's labels, by the target type its audit events name. */
export type AuditTargets = Readonly<Record<string, AuditTarget>>;

const targets = new Map<string, AuditTarget>();

export function registerAuditTarget(targetType: string, target: AuditTarget): void {
  targets.set(targetType, target);
}

interface TargetRef {
  targetType: string;
  targetId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function targetKey(ref: TargetRef): string {
  return `${ref.targetType}:${ref.targetId ?? ""}`;
}

const NOTHING: ResolvedTarget = { name: null, version: null, path: null, deleted: false };

/** Resolves the targets of a page of events; read the result with `targetOf`. */
export async function resolveTargets(
  tx: Tx,
  events: TargetRef[],
): Promise<Map<string, ResolvedTarget>> {
  const wanted = new Map<string, Set<string>>();
  for (const event of events) {
    const target = targets.get(event.targetType);
    if (!event.targetId || !target || !("find" in target)) continue;
    if (!target.byKey && !UUID.test(event.targetId)) continue;
    const ids = wanted.get(event.targetType) ?? new Set<string>();
    ids.add(event.targetId);
    wanted.set(event.targetType, ids);
  }
  const resolved = new Map<string, ResolvedTarget>();
  for (const [type, idSet] of wanted) {
    const ids = [...idSet];
    const target = targets.get(type) as { find: (tx: Tx, ids: string[]) => Promise<FoundTarget[]> };
    const byId = new Map((await target.find(tx, ids)).map((f) => [f.id, f]));
    for (const id of ids) {
      const hit = byId.get(id);
      resolved.set(
        targetKey({ targetType: type, targetId: id }),
        hit
          ? { name: hit.name, version: hit.version ?? null, path: hit.path, deleted: false }
          : { ...NOTHING, deleted: true },
      );
    }
  }
  for (const event of events) {
    const target = targets.get(event.targetType);
    if (target && "page" in target) resolved.set(targetKey(event), { ...NOTHING, ...target.page });
  }
  return resolved;
}

export function targetOf(resolved: Map<string, ResolvedTarget>, ref: TargetRef): ResolvedTarget {
  return resolved.get(targetKey(ref)) ?? NOTHING;
}
