import type { Tx } from "../../db/tenant.ts";

/** The endpoints area's reads that other areas use. */

/** The web app's page of an endpoint. */
export function endpointLink(id: string): string {
  return `/endpoints/${encodeURIComponent(id)}`;
}

/** How an endpoint is named: host:port, an IPv6 literal bracketed. */
export function endpointLabel(endpoint: { host: string; port: number }): string {
  const host = endpoint.host.includes(":") ? `[${endpoint.host}]` : endpoint.host;
  return `${host}:${endpoint.port}`;
}

/** How the audit log labels endpoints. */
export const endpointsAuditTargets = {
  endpoint: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx
          .selectFrom("endpoints")
          .select(["id", "host", "port"])
          .where("id", "in", ids)
          .execute()
      ).map((row) => ({ id: row.id, name: endpointLabel(row), path: endpointLink(row.id) })),
  },
};
