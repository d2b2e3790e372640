import { z } from "zod";
import { SCAN_FORMATS } from "../../db/tables/vulnerabilities.ts";
import { idSchema, limitSchema, nameSchema, timestamp } from "../../platform/http/schemas.ts";

/** Requests and answers of scanner file imports (POST/GET /api/v1/finding-imports). */

const fileName = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[^\p{Cc}/\\]+$/u, "must be a file name, without a path or control characters");

/** The query of an import: the body is the scanner file itself. */
export const scanImportQuery = z.object({
  systemId: idSchema.optional(),
  system: nameSchema.optional().meta({ description: "the system's name (case-insensitive)" }),
  format: z
    .enum(["auto", ...SCAN_FORMATS])
    .default("auto")
    .meta({ description: "the file's format; auto detects it from the content" }),
  scannedAt: timestamp.optional().meta({
    description: "when the scan ran, if the file does not say (not in the future)",
  }),
  fileName: fileName.optional(),
  dryRun: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true")
    .meta({ description: "true: check the file and answer the counts; nothing is written" }),
});
export type ScanImportQuery = z.infer<typeof scanImportQuery>;

export const scanImportsQuery = z.object({
  systemId: idSchema.optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});
export type ScanImportsQuery = z.infer<typeof scanImportsQuery>;

export const scanImportView = z.object({
  /** Null for a dry run (nothing was recorded). */
  id: idSchema.nullable(),
  systemId: idSchema,
  systemName: z.string(),
  /** The tools as one label ("Trivy", "CodeQL, ESLint"). */
  tool: z.string(),
  tools: z.array(z.string()),
  format: z.enum(SCAN_FORMATS),
  scannedAt: timestamp,
  importedAt: timestamp,
  importedBy: z.object({ id: idSchema, name: z.string() }).nullable(),
  fileName: z.string().nullable(),
  sha256: z.string(),
  bytes: z.number().int(),
  /** The file's results, duplicates included. */
  results: z.number().int(),
  /** Findings first detected by this scan. */
  created: z.number().int(),
  /** Findings present again, whatever their status, and not reopened. */
  unchanged: z.number().int(),
  /** Open and risk-accepted findings of these tools the scan no longer reports. */
  resolved: z.number().int(),
  /** Resolved findings the scan reports again (their deadline unchanged). */
  reopened: z.number().int(),
  evidenceId: idSchema.nullable(),
  /** The same file as the latest import of this system and tool: nothing was written. */
  duplicate: z.boolean(),
  dryRun: z.boolean(),
});
export type ScanImportView = z.infer<typeof scanImportView>;
