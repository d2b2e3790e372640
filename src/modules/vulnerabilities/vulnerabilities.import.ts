import fs from "node:fs";
import { sql } from "kysely";
import { z } from "zod";
import type { ScanFormat } from "../../db/tables/vulnerabilities.ts";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import { isoDay } from "../../domain/dates.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { AppError, errors } from "../../platform/errors.ts";
import { cursorPosition, pageAnswer, pageNewestFirst } from "../../platform/newest-first.ts";
import type { ChangeScope } from "../change.ts";
import { type EvidenceEnv, fileGeneratedEvidenceStream } from "../evidence/evidence.service.ts";
import { organizationSettings } from "../organizations/organizations.queries.ts";
import { systemsNow } from "../systems/systems.queries.ts";
import { userNames } from "../users/users.queries.ts";
import { openScanFile } from "./vulnerabilities.formats.ts";
import type {
  ScanImportQuery,
  ScanImportsQuery,
  ScanImportView,
} from "./vulnerabilities.import.schema.ts";
import { applyScan, type ScanCounts } from "./vulnerabilities.import-apply.ts";
import type { Spooled } from "./vulnerabilities.import-spool.ts";
import { type ScanFile, ScanFileError } from "./vulnerabilities.scan-file.ts";

/**
 * Importing a scanner file for a system: the file (already spooled to disk) is read as a
 * stream, its findings merged into the system's in one change (new ones opened, returning
 * ones reopened with their first deadline, absent ones resolved), the file kept encrypted as
 * evidence of scans-recent, and one audit event records the counts.
 */

const EVIDENCE = { controlKey: "vulnerability-patch-management-policy", testKey: "scans-recent" };
/** A file's own scan time may run ahead of this server's clock by this much (clock skew). */
const SKEW_MS = 60 * 60 * 1000;

export interface ScanImportInput extends ScanImportQuery {
  /** Where the file is, its digest and size. */
  file: Spooled;
  /** A progress line (every 10,000 results). */
  log?: (message: string) => void;
}

export interface ScanImportAnswer {
  view: ScanImportView;
  /** 201 when recorded; 200 for a dry run or a duplicate (nothing written). */
  status: 200 | 201;
}

/** A file's problems as a 400 naming each (`file` and where). */
function fileProblem(error: ScanFileError): AppError {
  const fieldErrors = error.problems.map((problem) => ({
    field: problem.where ? `file: ${problem.where}` : "file",
    message: problem.message,
  }));
  return new AppError("validation_failed", `file: ${error.message}`, fieldErrors);
}

/** The label of a file's tools ("Trivy", "CodeQL, ESLint"); a file naming none: its format. */
export function toolLabel(tools: readonly string[], format: ScanFormat): string {
  const label = [...new Set(tools)].sort().join(", ");
  return (label || format).slice(0, 200);
}

async function resolveSystem(tx: Tx, input: Pick<ScanImportQuery, "system" | "systemId">) {
  if ((input.system === undefined) === (input.systemId === undefined)) {
    throw errors.validation(
      "system",
      "name the system (system) or give its id (systemId), one of them",
    );
  }
  const field = input.systemId === undefined ? "system" : "systemId";
  let query = systemsNow(tx);
  query =
    input.systemId !== undefined
      ? query.where("id", "=", input.systemId)
      : query.where(sql`lower(name)`, "=", (input.system as string).toLowerCase());
  const system = await query.executeTakeFirst();
  if (!system) {
    if (field === "systemId") throw errors.notFound("System");
    throw errors.validation("system", `no system is named "${input.system}" in this organization`);
  }
  if (system.archived) throw errors.validation(field, `the system ${system.name} is archived`);
  return { id: system.id, name: system.name };
}

type ImportRow = Awaited<ReturnType<ReturnType<typeof importRows>["executeTakeFirstOrThrow"]>>;

function importRows(tx: Tx) {
  return tx
    .selectFrom("scan_imports as i")
    .innerJoin(systemsNow(tx).as("s"), "s.id", "i.system_id")
    .select([
      "i.id",
      "i.system_id",
      "s.name as system_name",
      "i.tool",
      "i.format",
      "i.scanned_at",
      "i.imported_at as created_at",
      "i.imported_by",
      "i.file_name",
      "i.file_sha256",
      "i.file_bytes",
      "i.results",
      "i.created",
      "i.unchanged",
      "i.resolved",
      "i.reopened",
      "i.evidence_id",
    ]);
}

async function present(tx: Tx, rows: ImportRow[], flags = { duplicate: false, dryRun: false }) {
  const names = await userNames(
    tx,
    rows.flatMap((row) => (row.imported_by ? [row.imported_by] : [])),
  );
  return rows.map(
    (row): ScanImportView => ({
      id: row.id,
      systemId: row.system_id,
      systemName: row.system_name,
      tool: row.tool,
      tools: row.tool.split(", "),
      format: row.format,
      scannedAt: new Date(row.scanned_at),
      importedAt: new Date(row.created_at),
      importedBy: row.imported_by
        ? { id: row.imported_by, name: names.get(row.imported_by) ?? "" }
        : null,
      fileName: row.file_name,
      sha256: row.file_sha256,
      bytes: Number(row.file_bytes),
      results: row.results,
      created: row.created,
      unchanged: row.unchanged,
      resolved: row.resolved,
      reopened: row.reopened,
      evidenceId: row.evidence_id,
      ...flags,
    }),
  );
}

/**
 * The latest import of the system by any of these tools: a scan older than it is refused
 * (the history stays in order), the same file again is a duplicate.
 */
async function latestImport(tx: Tx, systemId: string, tools: readonly string[]) {
  return importRows(tx)
    .where("i.system_id", "=", systemId)
    .where(sql<boolean>`string_to_array(i.tool, ', ') && ${[...tools]}::text[]`)
    .orderBy("i.scanned_at", "desc")
    .orderBy("i.imported_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

interface Plan {
  scan: ScanFile;
  system: { id: string; name: string };
  tool: string;
  scannedAt: Date;
  /** The latest import when this file is the same as it. */
  duplicate: ImportRow | undefined;
}

/** What can be decided before the findings are read: the system, the time, the order. */
async function plan(tx: Tx, input: ScanImportInput, scan: ScanFile, now: Date): Promise<Plan> {
  const system = await resolveSystem(tx, input);
  let scannedAt = scan.scannedAt ?? input.scannedAt ?? now;
  if (scan.scannedAt && scan.scannedAt.getTime() > now.getTime() + SKEW_MS) {
    throw errors.validation(
      "file",
      `says the scan ran at ${scan.scannedAt.toISOString()}, in the future`,
    );
  }
  if (!scan.scannedAt && input.scannedAt && input.scannedAt.getTime() > now.getTime()) {
    throw errors.validation("scannedAt", "must not be in the future");
  }
  if (scannedAt.getTime() > now.getTime()) scannedAt = now;
  const tool = toolLabel(scan.tools, scan.format);
  const latest = await latestImport(tx, system.id, tool.split(", "));
  if (latest?.file_sha256 === input.file.sha256) {
    return { scan, system, tool, scannedAt, duplicate: latest };
  }
  if (latest && new Date(latest.scanned_at).getTime() > scannedAt.getTime()) {
    throw errors.conflict(
      `This scan (${scannedAt.toISOString()}) is older than the latest import of ${tool} for ${system.name} (${new Date(latest.scanned_at).toISOString()}); import scans in the order they ran.`,
      "scannedAt",
    );
  }
  return { scan, system, tool, scannedAt, duplicate: undefined };
}

/** Writes the import and applies the file's findings, inside the change's transaction. */
async function record(
  ctx: Context,
  tx: Tx,
  input: ScanImportInput,
  p: Plan,
  evidenceId: string | null,
): Promise<{ id: string; counts: ScanCounts }> {
  const { id } = await tx
    .insertInto("scan_imports")
    .values({
      organization_id: ctx.organizationId,
      system_id: p.system.id,
      tool: p.tool,
      format: p.scan.format,
      scanned_at: p.scannedAt,
      imported_at: new Date(),
      imported_by: actorUserId(ctx.actor),
      file_name: input.fileName ?? null,
      file_sha256: input.file.sha256,
      file_bytes: input.file.bytes,
      evidence_id: evidenceId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const counts = await applyScan(tx, p.scan, {
    organizationId: ctx.organizationId,
    systemId: p.system.id,
    importId: id,
    scannedAt: p.scannedAt,
    tools: p.tool.split(", "),
    settings: await organizationSettings(tx, ctx.organizationId),
    progress: (results) => input.log?.(`scan import for ${p.system.name}: ${results} results read`),
  });
  await tx.updateTable("scan_imports").set(counts).where("id", "=", id).execute();
  return { id, counts };
}

/**
 * How scanner files are opened: the format readers. A test may put its own reader here to
 * drive the import with generated findings.
 */
export const scanFiles = { open: openScanFile };

/** Thrown to roll a dry run back, carrying what it would have done. */
class DryRunDone extends Error {
  constructor(readonly view: ScanImportView) {
    super("dry run");
  }
}

/** Opens the file, refusing what is not a scanner file as a 400 naming where. */
async function open(input: ScanImportInput): Promise<ScanFile> {
  try {
    return await scanFiles.open(
      input.file.path,
      input.format === "auto" ? {} : { declared: input.format },
    );
  } catch (error) {
    if (error instanceof ScanFileError) throw fileProblem(error);
    throw error;
  }
}

/** Imports a spooled scanner file (see the module's comment). */
export async function importScan(
  ctx: Context,
  env: EvidenceEnv,
  input: ScanImportInput,
): Promise<ScanImportAnswer> {
  const now = new Date();
  const checked = await withTenant(ctx.db, ctx.organizationId, async (tx) =>
    plan(tx, input, await open(input), now),
  );
  if (checked.duplicate) {
    const [view] = await withTenant(ctx.db, ctx.organizationId, (tx) =>
      present(tx, [checked.duplicate as ImportRow], { duplicate: true, dryRun: input.dryRun }),
    );
    return { view: view as ScanImportView, status: 200 };
  }
  const view = (id: string | null, counts: ScanCounts, p: Plan, evidenceId: string | null) => ({
    id,
    systemId: p.system.id,
    systemName: p.system.name,
    tool: p.tool,
    tools: p.tool.split(", "),
    format: p.scan.format,
    scannedAt: p.scannedAt,
    importedAt: now,
    importedBy:
      ctx.actor.type === "user" || ctx.actor.type === "token"
        ? { id: actorUserId(ctx.actor) as string, name: ctx.actor.name }
        : null,
    fileName: input.fileName ?? null,
    sha256: input.file.sha256,
    bytes: input.file.bytes,
    ...counts,
    evidenceId,
    duplicate: false,
    dryRun: input.dryRun,
  });
  try {
    if (input.dryRun) {
      await withTenant(ctx.db, ctx.organizationId, async (tx) => {
        const p = await plan(tx, input, checked.scan, now);
        const { counts } = await record(ctx, tx, input, p, null);
        throw new DryRunDone(view(null, counts, p, null));
      });
      throw new Error("unreachable");
    }
    const day = isoDay(checked.scannedAt);
    return await fileGeneratedEvidenceStream(
      ctx,
      env,
      {
        ...EVIDENCE,
        title: `${checked.tool.slice(0, 120)} scan of ${checked.system.name.slice(0, 60)}, ${day}`,
        description: `Scanner file (${checked.scan.format}) imported for ${checked.system.name}.`,
        evidenceDate: day,
        fileName: input.fileName ?? `scan-${day}.${checked.scan.format === "csv" ? "csv" : "json"}`,
        contentType: checked.scan.format === "csv" ? "text/csv" : "application/json",
        bytes: input.file.bytes,
        open: () => fs.createReadStream(input.file.path),
      },
      async ({ tx, audit }: ChangeScope, evidence) => {
        const p = await plan(tx, input, checked.scan, now);
        if (p.duplicate) throw errors.conflict("The same file was imported meanwhile.", "file");
        const { id, counts } = await record(ctx, tx, input, p, evidence.id);
        await audit({
          action: "scan_import.imported",
          targetType: "scan_import",
          targetId: id,
          after: {
            system: p.system.name,
            systemId: p.system.id,
            tool: p.tool,
            format: p.scan.format,
            scannedAt: p.scannedAt.toISOString(),
            fileName: input.fileName ?? null,
            sha256: input.file.sha256,
            bytes: input.file.bytes,
            ...counts,
          },
        });
        return { view: view(id, counts, p, evidence.id), status: 201 as const };
      },
      ["findings"],
    );
  } catch (error) {
    if (error instanceof DryRunDone) return { view: error.view, status: 200 };
    if (error instanceof ScanFileError) throw fileProblem(error);
    throw error;
  }
}

const importCursor = z.object({ createdAt: z.string(), id: z.uuid() });

/** Imports newest first, of one system or all. */
export function listScanImports(ctx: Context, query: ScanImportsQuery) {
  const after = cursorPosition(query.cursor, importCursor);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    let rows = importRows(tx);
    if (query.systemId) rows = rows.where("i.system_id", "=", query.systemId);
    const page = await pageNewestFirst(
      rows,
      { createdAt: "i.imported_at", id: "i.id" },
      { after, limit: query.limit },
    );
    return pageAnswer({ items: await present(tx, page.items), next: page.next });
  });
}

export function getScanImport(ctx: Context, id: string) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const row = await importRows(tx).where("i.id", "=", id).executeTakeFirst();
    if (!row) throw errors.notFound("Scan import");
    const [view] = await present(tx, [row]);
    return view as ScanImportView;
  });
}

/** The audit log's label of an import: "Trivy scan of api-1 (2026-11-30)". */
export const scanImportAuditTargets = {
  scan_import: {
    find: async (tx: Tx, ids: string[]) =>
      (await importRows(tx).where("i.id", "in", ids).execute()).map((row) => ({
        id: row.id,
        name: `${row.tool} scan of ${row.system_name} (${isoDay(new Date(row.scanned_at))})`,
        path: `/vulnerabilities/imports?systemId=${encodeURIComponent(row.system_id)}`,
      })),
  },
};
