import { z } from "zod";
import { IMPORT_LIMIT_BYTES } from "../../platform/csv.ts";
import { idSchema, limitSchema, nameSchema, timestamp } from "../../platform/http/schemas.ts";

/** Requests and answers of the authorized_keys listings collected from hosts. */

/** A host name or address as the host calls itself: printable, no spaces. */
const host = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[^\s\p{Cc}]+$/u, "must be a host name or address, without spaces");
const fileName = z
  .string()
  .min(1)
  .max(1000)
  .regex(/^[^\p{Cc}]+$/u, "must be a file name without control characters");
const cursor = z.string().max(500).optional();

export const listingFile = z.object({
  name: fileName,
  content: z.string().max(IMPORT_LIMIT_BYTES),
});

/** JSON: the system by name or id, the host, when collected, and the files with their text. */
export const listingJson = z.object({
  system: nameSchema.optional(),
  systemId: idSchema.optional(),
  host,
  collectedAt: timestamp.optional(),
  files: z.array(listingFile).min(1).max(1000),
});

/** The body: JSON as above, or one file's text itself (`Content-Type: text/plain`). */
export const listingBody = z.union([z.string().max(IMPORT_LIMIT_BYTES), listingJson]);

/** With a text/plain body, what JSON carries goes in the query. */
export const listingUploadQuery = z.object({
  system: nameSchema.optional(),
  systemId: idSchema.optional(),
  host: host.optional(),
  file: fileName.optional(),
  collectedAt: timestamp.optional(),
});

export const listingsQuery = z.object({
  systemId: idSchema.optional(),
  host: host.optional(),
  cursor,
  limit: limitSchema,
});

export const listingEntriesQuery = z.object({
  cursor,
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

const systemRef = z.object({ id: idSchema, name: z.string() });
export const listingProblem = z.object({
  file: z.string(),
  line: z.number().int(),
  message: z.string(),
});

/** Whom an entry's fingerprint is registered to now, and what the registry and grants say. */
const registration = z.object({
  keyId: idSchema,
  person: z.object({ id: idSchema, name: z.string(), active: z.boolean() }),
  /** The registry says this key opens the listing's system. */
  opensSystem: z.boolean(),
  /** The person holds an active grant on the listing's system. */
  hasGrant: z.boolean(),
});

export const listingEntryView = z
  .object({
    file: z.string(),
    line: z.number().int(),
    keyType: z.string(),
    fingerprint: z.string(),
    bits: z.number().int().nullable(),
    comment: z.string().nullable(),
    options: z.string().nullable(),
    /** Empty: the key is registered to nobody (unknown). */
    registeredTo: z.array(registration),
  })
  .meta({ id: "HostKeyEntry" });

/** Counts over the entries: unknown keys, keys of departed people, of several people, without a grant. */
const findings = z.object({
  unknown: z.number().int(),
  departed: z.number().int(),
  shared: z.number().int(),
  withoutGrant: z.number().int(),
});

export const listingView = z
  .object({
    id: idSchema,
    system: systemRef,
    host: z.string(),
    collectedAt: timestamp,
    receivedAt: timestamp,
    collectedBy: z.object({ id: idSchema, name: z.string() }).nullable(),
    source: z.enum(["cli", "api"]),
    files: z.array(z.string()),
    sha256: z.string(),
    keys: z.number().int(),
    problems: z.array(listingProblem),
    ...findings.shape,
  })
  .meta({ id: "HostKeyListing" });

export const listingSummaryView = listingView
  .omit({ problems: true })
  .extend({ problemCount: z.number().int(), latest: z.boolean() })
  .meta({ id: "HostKeyListingSummary" });

/** The answer to an upload: the listing and each entry with whom it is registered to. */
export const listingCollectedView = listingView
  .extend({ entries: z.array(listingEntryView) })
  .meta({ id: "HostKeyListingCollected" });

export const listingDetailView = listingView
  .extend({
    entries: z.object({ items: z.array(listingEntryView), nextCursor: z.string().nullable() }),
  })
  .meta({ id: "HostKeyListingDetail" });

export type ListingJson = z.infer<typeof listingJson>;
export type ListingsQuery = z.infer<typeof listingsQuery>;
export type ListingEntriesQuery = z.infer<typeof listingEntriesQuery>;
export type ListingView = z.infer<typeof listingView>;
export type ListingEntryView = z.infer<typeof listingEntryView>;
