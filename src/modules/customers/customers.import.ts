import type { Customer } from "../../db/tables/customers.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import type { Context } from "../../platform/context.ts";
import {
  type ColumnSpec,
  CsvError,
  type CsvRecord,
  type ImportProblem,
  parseCsv,
  parseDay,
  readHeader,
  widthProblem,
} from "../../platform/csv.ts";
import { applyChange } from "../change.ts";
import { systemsNow } from "../systems/systems.queries.ts";
import { CUSTOMERS_SOURCE } from "./customers.core.ts";
import type { CustomerPatch, NewCustomer } from "./customers.schema.ts";
import { changeCustomer, insertCustomer } from "./customers.service.ts";

/**
 * Import of customers from CSV (name, reference, contract_start, contract_end, retention: days
 * or "policy", data_stores: system names separated by ";"), like the access area's import: the
 * preview names every bad row and field and writes nothing; the commit re-plans inside its
 * change and writes all or nothing. A row matches a current customer by reference, else by
 * name; the same file again changes nothing.
 */
export const CUSTOMER_COLUMNS: readonly ColumnSpec[] = [
  { name: "name", required: true, aliases: ["customer", "customer_name"] },
  { name: "reference", aliases: ["ref", "external_reference", "id", "customer_id"] },
  { name: "contract_start", required: true, aliases: ["start", "start_date"] },
  { name: "contract_end", aliases: ["end", "end_date"] },
  { name: "retention", aliases: ["retention_days", "retention_period"] },
  { name: "data_stores", aliases: ["systems", "data_store", "stores"] },
];

export class ImportRejected extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(`The file has ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
  }
}

interface Row {
  line: number;
  name: string;
  reference: string | null;
  contractStart: string;
  contractEnd: string | null;
  retention: { days: number } | "policy" | null;
  systemIds: string[];
}

export type Action = "create" | "update" | "unchanged";

interface PlannedRow {
  row: Row;
  action: Action;
  existing: Customer | null;
  patch: CustomerPatch;
}

const problemAt = (line: number | null, column: string | null, message: string) => ({
  line,
  column,
  message,
});

/** Parses the file and looks the data stores up; a problem for every bad row and field. */
async function readRows(
  tx: Tx,
  csv: string,
): Promise<{ rows: Row[]; problems: ImportProblem[]; lines: number }> {
  if (csv.includes("\0")) {
    return {
      rows: [],
      lines: 0,
      problems: [problemAt(1, null, "the file is not text (it holds NUL bytes); send CSV")],
    };
  }
  let records: CsvRecord[];
  try {
    records = parseCsv(csv);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return {
      rows: [],
      lines: 0,
      problems: [problemAt(error.line, null, error.message.replace(/^line \d+: /, ""))],
    };
  }
  const [headerRecord, ...body] = records;
  if (!headerRecord) {
    const columns = CUSTOMER_COLUMNS.map((c) => c.name).join(", ");
    return {
      rows: [],
      lines: 0,
      problems: [
        problemAt(1, null, `the file is empty; its first line must be the header (${columns})`),
      ],
    };
  }
  const header = readHeader(headerRecord, CUSTOMER_COLUMNS);
  if (header.problems.length > 0)
    return { rows: [], problems: header.problems, lines: body.length };
  const systems = await systemsNow(tx).execute();
  const systemByName = new Map(
    systems.filter((s) => !s.archived).map((s) => [s.name.toLowerCase(), s.id]),
  );
  const problems: ImportProblem[] = [];
  const rows: Row[] = [];
  const seen = new Map<string, number>();
  for (const record of body) {
    if (record.fields.length !== header.width) {
      problems.push(widthProblem(record.line, record.fields.length, header.width));
      continue;
    }
    const values = header.valuesOf(record);
    const before = problems.length;
    const bad = (column: string, message: string) =>
      problems.push(problemAt(record.line, column, message));
    const name = values.name ?? "";
    if (name === "") bad("name", "is required");
    else if (name.length > 200) bad("name", "is longer than 200 characters");
    const reference = values.reference ?? "";
    if (reference.length > 200) bad("reference", "is longer than 200 characters");
    for (const key of [
      `n:${name.toLowerCase()}`,
      ...(reference ? [`r:${reference.toLowerCase()}`] : []),
    ]) {
      const first = seen.get(key);
      if (name !== "" && first !== undefined) {
        bad(
          key.startsWith("n:") ? "name" : "reference",
          `"${key.slice(2)}" is already on line ${first}`,
        );
      } else seen.set(key, record.line);
    }
    const start = parseDay(values.contract_start ?? "");
    if (!start)
      bad("contract_start", `"${values.contract_start ?? ""}" is not a date (YYYY-MM-DD)`);
    const endText = values.contract_end ?? "";
    const end = endText === "" ? null : parseDay(endText);
    if (endText !== "" && !end) bad("contract_end", `"${endText}" is not a date (YYYY-MM-DD)`);
    else if (start && end && end < start) bad("contract_end", "is before the contract start");
    const retentionText = (values.retention ?? "").toLowerCase();
    let retention: Row["retention"] = null;
    if (retentionText === "policy") retention = "policy";
    else if (/^\d{1,5}$/.test(retentionText)) retention = { days: Number(retentionText) };
    else if (retentionText !== "")
      bad("retention", `"${values.retention}" is not a number of days or "policy"`);
    const systemIds: string[] = [];
    for (const store of (values.data_stores ?? "")
      .split(";")
      .map((s) => s.trim())
      .filter(Boolean)) {
      const id = systemByName.get(store.toLowerCase());
      if (!id) bad("data_stores", `"${store}" is not a system of the inventory`);
      else if (!systemIds.includes(id)) systemIds.push(id);
    }
    if (problems.length > before || !start) continue;
    rows.push({
      line: record.line,
      name,
      reference: reference || null,
      contractStart: start,
      contractEnd: end,
      retention,
      systemIds,
    });
  }
  return { rows, problems, lines: body.length };
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id) => b.includes(id));

/** What each row would do to the customers as they are. */
async function plan(tx: Tx, csv: string) {
  const { rows, problems, lines } = await readRows(tx, csv);
  const current = await tx
    .selectFrom("customers")
    .selectAll()
    .where("archived_at", "is", null)
    .execute();
  const byReference = new Map(
    current.filter((c) => c.reference).map((c) => [(c.reference as string).toLowerCase(), c]),
  );
  const byName = new Map(current.map((c) => [c.name.toLowerCase(), c]));
  const planned: PlannedRow[] = rows.map((row) => {
    const existing =
      (row.reference ? byReference.get(row.reference.toLowerCase()) : undefined) ??
      byName.get(row.name.toLowerCase()) ??
      null;
    const namesake = byName.get(row.name.toLowerCase());
    if (namesake && existing && namesake.id !== existing.id) {
      problems.push({
        line: row.line,
        column: "name",
        message: `"${row.name}" is the name of another customer (reference ${namesake.reference ?? "none"})`,
      });
    }
    if (!existing) return { row, action: "create", existing, patch: {} };
    const patch: CustomerPatch = {};
    if (existing.name !== row.name) patch.name = row.name;
    if (row.reference !== null && existing.reference !== row.reference)
      patch.reference = row.reference;
    if (existing.contract_start !== row.contractStart) patch.contractStart = row.contractStart;
    if (existing.contract_end !== row.contractEnd) patch.contractEnd = row.contractEnd;
    const retention = row.retention;
    if (
      retention === "policy"
        ? existing.retention_basis !== "policy"
        : retention === null
          ? existing.retention_basis !== null
          : existing.retention_basis !== "agreed" || existing.retention_days !== retention.days
    ) {
      patch.retention = retention;
    }
    if (!sameSet(existing.system_ids, row.systemIds)) patch.systemIds = row.systemIds;
    return { row, action: Object.keys(patch).length ? "update" : "unchanged", existing, patch };
  });
  return { lines, problems, planned };
}

function describe(p: Awaited<ReturnType<typeof plan>>) {
  const tally = (action: Action) => p.planned.filter((l) => l.action === action).length;
  return {
    rows: p.lines,
    create: tally("create"),
    update: tally("update"),
    unchanged: tally("unchanged"),
    problems: p.problems,
    lines: p.planned.slice(0, 1000).map((l) => ({
      line: l.row.line,
      name: l.row.name,
      reference: l.row.reference,
      action: l.action,
      customerId: l.existing?.id ?? null,
      changes: Object.keys(l.patch),
    })),
  };
}

export type ImportPreview = ReturnType<typeof describe>;

export async function previewCustomerImport(ctx: Context, csv: string): Promise<ImportPreview> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => describe(await plan(tx, csv)));
}

class NothingToChange extends Error {}

/** Imports the file in one change, or throws ImportRejected and writes nothing. */
export async function commitCustomerImport(ctx: Context, csv: string) {
  const result = { changed: false, created: 0, updated: 0, unchanged: 0 };
  try {
    await applyChange(ctx, CUSTOMERS_SOURCE, async ({ tx, audit }) => {
      const p = await plan(tx, csv);
      if (p.problems.length > 0) throw new ImportRejected(p.problems);
      result.unchanged = p.planned.filter((l) => l.action === "unchanged").length;
      if (p.planned.every((l) => l.action === "unchanged")) throw new NothingToChange();
      for (const line of p.planned) {
        if (line.action === "create") {
          const input: NewCustomer = {
            name: line.row.name,
            reference: line.row.reference,
            contractStart: line.row.contractStart,
            contractEnd: line.row.contractEnd,
            retention: line.row.retention,
            systemIds: line.row.systemIds,
          };
          const row = await insertCustomer(tx, ctx, input);
          await audit({
            action: "customer.created",
            targetType: "customer",
            targetId: row.id,
            after: { ...input, importLine: line.row.line },
          });
          result.created++;
        } else if (line.action === "update" && line.existing) {
          await changeCustomer(tx, ctx, line.existing.id, line.patch);
          await audit({
            action: "customer.updated",
            targetType: "customer",
            targetId: line.existing.id,
            after: { ...line.patch, importLine: line.row.line },
          });
          result.updated++;
        }
      }
      result.changed = true;
      await audit({
        action: "customer.imported",
        targetType: "customer",
        targetId: null,
        after: { rows: p.lines, ...result },
      });
    });
  } catch (error) {
    if (error instanceof NothingToChange) return { ...result, changed: false };
    throw error;
  }
  return result;
}
