import { z } from "zod";
import type { EmploymentType, Person } from "../../db/types.ts";
import { EMPLOYMENT_TYPES } from "../../db/types.ts";
import {
  type ColumnSpec,
  CsvError,
  CsvParser,
  type CsvRecord,
  type ImportProblem,
  readHeader,
  widthProblem,
} from "../../platform/csv.ts";
import { daySchema, emailSchema, nameSchema } from "../../platform/http/schemas.ts";

/**
 * CSV import of people, part one: reading a file and planning what it changes. Rows are
 * matched to people by email (lower-cased). Where a column is in the file, the file is the
 * truth (an empty end_date is "no end date", an empty manager_email "no manager"); a column
 * left out keeps what is stored. Writing the plan is people.import-commit.ts.
 */

export const PEOPLE_COLUMNS: readonly ColumnSpec[] = [
  { name: "name", required: true },
  { name: "email", required: true },
  { name: "job_role", aliases: ["role", "title"] },
  { name: "employment_type", aliases: ["type"] },
  { name: "start_date", required: true },
  { name: "end_date" },
  { name: "manager_email", aliases: ["manager"] },
];

/** A row as read: `undefined` where the file has no such column. */
export interface ImportRow {
  line: number;
  name: string;
  email: string;
  jobRole: string | null | undefined;
  employmentType: EmploymentType | undefined;
  startDate: string;
  endDate: string | null | undefined;
  managerEmail: string | null | undefined;
}

/** The most problems an answer lists (all are counted). */
export const MAX_LISTED_PROBLEMS = 1000;
/** The most row changes a preview lists. */
export const MAX_LISTED_CHANGES = 500;

const jobRoleSchema = z.string().max(100);

/** Reads the file: its rows that are well formed, and a problem for every one that is not. */
export function readPeopleFile(text: string): {
  rows: ImportRow[];
  count: number;
  problems: ImportProblem[];
  /** Every well-formed email of the file, its row good or not. */
  emails: Set<string>;
} {
  const problems: ImportProblem[] = [];
  const records: CsvRecord[] = [];
  const parser = new CsvParser();
  try {
    // Line by line, so the records before a broken one are kept and checked too.
    for (const chunk of text.split(/(?<=\n)/)) records.push(...parser.push(chunk));
    records.push(...parser.end());
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    problems.push({
      line: error.line,
      column: null,
      message: error.message.replace(/^line \d+: /, ""),
    });
  }
  const [header, ...body] = records;
  if (!header) {
    problems.push({
      line: 1,
      column: null,
      message: "the file is empty: it needs a header row and a row per person",
    });
    return { rows: [], count: 0, problems, emails: new Set<string>() };
  }
  const layout = readHeader(header, PEOPLE_COLUMNS);
  problems.push(...layout.problems);
  const has = (column: string) => layout.columns.has(column);
  const rows: ImportRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const record of body) {
    if (record.fields.length !== layout.width) {
      problems.push(widthProblem(record.line, record.fields.length, layout.width));
      continue;
    }
    const v = layout.valuesOf(record);
    const rowProblems: ImportProblem[] = [];
    const bad = (column: string, message: string) =>
      rowProblems.push({ line: record.line, column, message });

    const name = nameSchema.safeParse(v.name ?? "");
    if (has("name") && !name.success)
      bad("name", v.name ? "is longer than 200 characters" : "is required");
    const email = (v.email ?? "").toLowerCase();
    if (has("email")) {
      if (!email) bad("email", "is required");
      else if (!emailSchema.safeParse(email).success)
        bad("email", `"${v.email}" is not an email address`);
      else if (firstLineOf.has(email))
        bad("email", `${email} is also on line ${firstLineOf.get(email)}`);
      else firstLineOf.set(email, record.line);
    }
    const jobRole = has("job_role") ? v.job_role || null : undefined;
    if (jobRole && !jobRoleSchema.safeParse(jobRole).success)
      bad("job_role", "is longer than 100 characters");
    let employmentType: EmploymentType | undefined;
    if (has("employment_type")) {
      const type = (v.employment_type ?? "").toLowerCase() || "employee";
      if ((EMPLOYMENT_TYPES as readonly string[]).includes(type))
        employmentType = type as EmploymentType;
      else
        bad(
          "employment_type",
          `"${v.employment_type}" is not one of ${EMPLOYMENT_TYPES.join(", ")}`,
        );
    }
    const startDate = v.start_date ?? "";
    if (has("start_date")) {
      if (!startDate) bad("start_date", "is required");
      else if (!daySchema.safeParse(startDate).success) bad("start_date", dateMessage(startDate));
    }
    const endDate = has("end_date") ? v.end_date || null : undefined;
    if (endDate) {
      if (!daySchema.safeParse(endDate).success) bad("end_date", dateMessage(endDate));
      else if (daySchema.safeParse(startDate).success && endDate < startDate) {
        bad("end_date", `${endDate} is before the start date ${startDate}`);
      }
    }
    const managerEmail = has("manager_email")
      ? (v.manager_email ?? "").toLowerCase() || null
      : undefined;
    if (managerEmail && !emailSchema.safeParse(managerEmail).success) {
      bad("manager_email", `"${v.manager_email}" is not an email address`);
    } else if (managerEmail && managerEmail === email) {
      bad("manager_email", "a person cannot be their own manager");
    }
    problems.push(...rowProblems);
    if (rowProblems.length === 0 && layout.problems.length === 0) {
      rows.push({
        line: record.line,
        name: name.data ?? "",
        email,
        jobRole,
        employmentType,
        startDate,
        endDate,
        managerEmail,
      });
    }
  }
  return { rows, count: body.length, problems, emails: new Set(firstLineOf.keys()) };
}

function dateMessage(value: string): string {
  return `"${value}" is not a date as YYYY-MM-DD (or no such day, or outside 1900–2999)`;
}

export interface PlannedRow {
  row: ImportRow;
  /** The stored person it updates; absent for a new one. */
  existing?: Person;
  fields: string[];
}

export interface ImportPlan {
  count: number;
  problems: ImportProblem[];
  creates: PlannedRow[];
  updates: PlannedRow[];
  unchanged: PlannedRow[];
}

/**
 * What the file changes, against the people stored now: each row a create, an update (with
 * the fields it changes) or unchanged; and the problems only the whole picture shows — a
 * manager neither in the file nor listed, a chain of managers that loops.
 */
export function planPeopleImport(text: string, stored: Person[]): ImportPlan {
  const { rows, count, problems, emails } = readPeopleFile(text);
  const byEmail = new Map(stored.map((p) => [p.email.toLowerCase(), p]));
  const emailOfId = new Map(stored.map((p) => [p.id, p.email.toLowerCase()]));
  // Every well-formed email of the file, so a row's own problem is not blamed on its reports.
  const inFile = emails;

  // The manager graph once the file is applied, by email.
  const managerOf = new Map<string, string | null>();
  for (const p of stored) {
    managerOf.set(
      p.email.toLowerCase(),
      p.manager_id ? (emailOfId.get(p.manager_id) ?? null) : null,
    );
  }
  const rowProblems = new Map<ImportRow, ImportProblem>();
  for (const row of rows) {
    if (row.managerEmail === undefined) {
      if (!managerOf.has(row.email)) managerOf.set(row.email, null);
      continue;
    }
    managerOf.set(row.email, row.managerEmail);
    if (row.managerEmail && !inFile.has(row.managerEmail) && !byEmail.has(row.managerEmail)) {
      rowProblems.set(row, {
        line: row.line,
        column: "manager_email",
        message: `no person ${row.managerEmail} in the file or listed`,
      });
    }
  }
  const lineOf = new Map(rows.map((r) => [r.email, r]));
  for (const loop of managerLoops(managerOf)) {
    for (const email of loop) {
      const row = lineOf.get(email);
      if (row && !rowProblems.has(row)) {
        rowProblems.set(row, {
          line: row.line,
          column: "manager_email",
          message: `the chain of managers loops: ${[...loop, loop[0]].join(" → ")}`,
        });
      }
    }
  }
  problems.push(...rowProblems.values());
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));

  const plan: ImportPlan = { count, problems, creates: [], updates: [], unchanged: [] };
  for (const row of rows) {
    const existing = byEmail.get(row.email);
    if (!existing) {
      plan.creates.push({ row, fields: [] });
      continue;
    }
    const fields = changedFields(row, existing, emailOfId);
    (fields.length > 0 ? plan.updates : plan.unchanged).push({ row, existing, fields });
  }
  return plan;
}

function changedFields(row: ImportRow, p: Person, emailOfId: Map<string, string>): string[] {
  const fields: string[] = [];
  if (row.name !== p.name) fields.push("name");
  if (row.jobRole !== undefined && row.jobRole !== p.job_role) fields.push("job_role");
  if (row.employmentType !== undefined && row.employmentType !== p.employment_type) {
    fields.push("employment_type");
  }
  if (row.startDate !== p.start_date) fields.push("start_date");
  if (row.endDate !== undefined && row.endDate !== p.end_date) fields.push("end_date");
  if (row.managerEmail !== undefined) {
    const current = p.manager_id ? (emailOfId.get(p.manager_id) ?? null) : null;
    if (row.managerEmail !== current) fields.push("manager_email");
  }
  return fields;
}

/** Every loop in a manager graph (each node has at most one manager), each listed once. */
export function managerLoops(managerOf: Map<string, string | null>): string[][] {
  const state = new Map<string, "walking" | "done">();
  const loops: string[][] = [];
  for (const start of managerOf.keys()) {
    const path: string[] = [];
    let at: string | null | undefined = start;
    while (at && !state.has(at)) {
      state.set(at, "walking");
      path.push(at);
      at = managerOf.get(at);
    }
    if (at && state.get(at) === "walking") loops.push(path.slice(path.indexOf(at)));
    for (const node of path) state.set(node, "done");
  }
  return loops;
}

/** The preview's answer of a plan. */
export function presentPlan(plan: ImportPlan) {
  const changes = [
    ...plan.creates.map((c) => ({ ...c, action: "create" as const })),
    ...plan.updates.map((c) => ({ ...c, action: "update" as const })),
    ...plan.unchanged.map((c) => ({ ...c, action: "unchanged" as const })),
  ]
    .sort((a, b) => a.row.line - b.row.line)
    .slice(0, MAX_LISTED_CHANGES)
    .map((c) => ({ line: c.row.line, email: c.row.email, action: c.action, fields: c.fields }));
  return {
    rows: plan.count,
    create: plan.creates.length,
    update: plan.updates.length,
    unchanged: plan.unchanged.length,
    problems: plan.problems.slice(0, MAX_LISTED_PROBLEMS),
    problemCount: plan.problems.length,
    changes,
  };
}
