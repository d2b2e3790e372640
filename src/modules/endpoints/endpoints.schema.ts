import net from "node:net";
import { z } from "zod";
import {
  idSchema,
  limitSchema,
  nullableTimestamp,
  timestamp,
} from "../../platform/http/schemas.ts";

/** Requests and answers of the endpoint routes: endpoints and their TLS probes. */

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A DNS name (letters, digits, hyphens; labels of up to 63) or an IP literal, lower case. */
export function isHostName(value: string): boolean {
  const bare = value.replace(/^\[(.*)\]$/, "$1");
  if (net.isIP(bare) !== 0) return bare === value || net.isIP(bare) === 6;
  if (value.length > 253) return false;
  const labels = value.replace(/\.$/, "").split(".");
  // A name of digits and dots only is a malformed IPv4 address, not a name.
  if (labels.every((label) => /^\d+$/.test(label))) return false;
  return labels.every((label) => LABEL.test(label));
}

/** The host as stored: lower case, no trailing dot, an IPv6 literal without brackets. */
export const hostSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .refine(isHostName, {
    message:
      "must be a host name (api.example.com) or an IP address, without a scheme, port or path",
  })
  .transform((value) => value.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, ""));

const port = z.coerce.number().int().min(1).max(65535);
const notes = z.string().trim().max(5000);

export const newEndpoint = z
  .object({
    host: hostSchema,
    /** The HTTPS port (default 443). */
    port: port.default(443),
    /** Where plain HTTP is asked to redirect (default 80). */
    httpPort: port.default(80),
    /** The system of the inventory it belongs to. */
    systemId: idSchema.nullable().optional(),
    notes: notes.optional(),
  })
  .strict();

export const endpointPatch = z
  .object({ httpPort: port, systemId: idSchema.nullable(), notes })
  .partial()
  .strict();

export const endpointListQuery = z.object({
  /** Archived endpoints too. */
  archived: z.enum(["true", "false"]).default("false"),
});

export const probeListQuery = z.object({ limit: limitSchema });

export const PROBE_STATES = ["passing", "failing", "due_soon"] as const;
export const ENDPOINT_STATUSES = [...PROBE_STATES, "not_probed", "stale"] as const;

export const probeView = z.object({
  id: idSchema,
  probedAt: timestamp,
  trigger: z.enum(["scheduled", "manual", "demo"]),
  /** Nothing failed when probed; a certificate expiring soon still passes. */
  passed: z.boolean(),
  /** As judged at the probe: failing, due soon (the certificate expires within 14 days), passing. */
  state: z.enum(PROBE_STATES),
  /** What failed, or what comes due. */
  reasons: z.array(z.string()),
  address: z.string().nullable(),
  tlsVersions: z.array(z.string()),
  certificateExpiresAt: nullableTimestamp,
  certificateSubject: z.string().nullable(),
  certificateIssuer: z.string().nullable(),
  chainValid: z.boolean().nullable(),
  hostnameValid: z.boolean().nullable(),
  httpRedirectsToHttps: z.boolean().nullable(),
  hstsMaxAge: z.number().int().nullable(),
  /** What the network did that the probe could not get past. */
  errors: z.array(z.string()),
  /** The probe's whole result, filed as a JSON file in the evidence library. */
  evidenceId: idSchema.nullable(),
});

export const endpointView = z.object({
  id: idSchema,
  host: z.string(),
  port: z.number().int(),
  httpPort: z.number().int(),
  system: z.object({ id: idSchema, name: z.string() }).nullable(),
  notes: z.string(),
  createdAt: timestamp,
  archivedAt: nullableTimestamp,
  /**
   * Now, by endpoints-tls: passing, failing, due_soon (the certificate expires within 14
   * days), not_probed, or stale (the last probe is older than 7 days).
   */
  status: z.enum(ENDPOINT_STATUSES),
  lastProbe: probeView.nullable(),
});

export const endpointList = z.object({ items: z.array(endpointView), nextCursor: z.null() });
export const probeList = z.object({ items: z.array(probeView), nextCursor: z.null() });

export type NewEndpoint = z.infer<typeof newEndpoint>;
export type EndpointPatch = z.infer<typeof endpointPatch>;
export type ProbeView = z.infer<typeof probeView>;
export type EndpointView = z.infer<typeof endpointView>;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];
