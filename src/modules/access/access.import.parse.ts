import {
  type ColumnSpec,
  CsvError,
  type CsvRecord,
  type ImportProblem,
  parseCsv,
  parseDay,
  parseFlag,
  readHeader,
  widthProblem,
} from "../../platform/csv.ts";

/**
 * Reading a system's user export (username, email, role, admin, last_login), before anything
 * is looked up: every bad row is named by line and column, so the preview lists them all.
 */
export const ACCOUNT_COLUMNS: readonly ColumnSpec[] = [
  { name: "username", required: true, aliases: ["user", "login", "user_name", "account"] },
  { name: "email", aliases: ["e-mail", "mail", "email_address"] },
  { name: "role", aliases: ["system_role", "group"] },
  { name: "admin", aliases: ["is_admin", "administrator"] },
  { name: "last_login", aliases: ["last_login_at", "last_sign_in", "last_seen"] },
];

export interface ExportRow {
  line: number;
  username: string;
  email: string | null;
  /** null: no grant, only an account. */
  role: string | null;
  admin: boolean;
  lastLoginAt: Date | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
/** A login clock a little ahead of ours is skew, not a bad date. */
const FUTURE_SKEW_MS = 86_400_000;

/** An ISO date ('2026-03-01', midnight UTC) or date-time (no zone: UTC), or null. */
export function parseLastLogin(value: string): Date | null {
  const day = parseDay(value);
  if (day) return new Date(`${day}T00:00:00Z`);
  const match = DATE_TIME.exec(value);
  if (!match || !parseDay(match[1] as string)) return null;
  const [hours, minutes, seconds] = [match[2], match[3], match[4] ?? "0"].map(Number) as [
    number,
    number,
    number,
  ];
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  const zoned = match[5] ? value.replace(" ", "T") : `${value.replace(" ", "T")}Z`;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Parses the file; answers the good rows and a problem for every bad one. */
export function readExport(
  csv: string,
  now: Date,
): { rows: ExportRow[]; problems: ImportProblem[]; lines: number } {
  const problems: ImportProblem[] = [];
  if (csv.includes("\0")) {
    return {
      rows: [],
      lines: 0,
      problems: [
        { line: 1, column: null, message: "the file is not text (it holds NUL bytes); send CSV" },
      ],
    };
  }
  let records: CsvRecord[];
  try {
    records = parseCsv(csv);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const message = error.message.replace(/^line \d+: /, "");
    return { rows: [], lines: 0, problems: [{ line: error.line, column: null, message }] };
  }
  const [headerRecord, ...body] = records;
  if (!headerRecord) {
    return {
      rows: [],
      lines: 0,
      problems: [
        {
          line: 1,
          column: null,
          message: `the file is empty; its first line must be the header (${ACCOUNT_COLUMNS.map((c) => c.name).join(", ")})`,
        },
      ],
    };
  }
  const header = readHeader(headerRecord, ACCOUNT_COLUMNS);
  problems.push(...header.problems);
  if (header.problems.length > 0) return { rows: [], problems, lines: body.length };

  const rows: ExportRow[] = [];
  const seen = new Map<string, number>();
  for (const record of body) {
    if (record.fields.length !== header.width) {
      problems.push(widthProblem(record.line, record.fields.length, header.width));
      continue;
    }
    const values = header.valuesOf(record);
    const bad = (column: string, message: string) =>
      problems.push({ line: record.line, column, message });
    const before = problems.length;
    const username = values.username ?? "";
    if (username === "") bad("username", "is required");
    else if (username.length > 200) bad("username", "is longer than 200 characters");
    else {
      const key = username.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) bad("username", `"${username}" is already on line ${first}`);
      else seen.set(key, record.line);
    }
    const email = values.email ?? "";
    if (email !== "" && (email.length > 254 || !EMAIL.test(email))) {
      bad("email", `"${email}" is not an email address`);
    }
    const role = values.role ?? "";
    if (role.length > 200) bad("role", "is longer than 200 characters");
    const admin = parseFlag(values.admin ?? "");
    if (admin === null) bad("admin", `"${values.admin}" is not yes/no, true/false or 1/0`);
    else if (admin && role === "") bad("admin", "is yes but role is empty: name the role held");
    const lastLogin = values.last_login ?? "";
    let lastLoginAt: Date | null = null;
    if (lastLogin !== "") {
      lastLoginAt = parseLastLogin(lastLogin);
      if (!lastLoginAt) {
        bad("last_login", `"${lastLogin}" is not a date (YYYY-MM-DD) or ISO date-time`);
      } else if (lastLoginAt.getTime() > now.getTime() + FUTURE_SKEW_MS) {
        bad("last_login", `${lastLogin} is in the future`);
      }
    }
    if (problems.length > before) continue;
    rows.push({
      line: record.line,
      username,
      email: email === "" ? null : email.toLowerCase(),
      role: role === "" ? null : role,
      admin: admin === true,
      lastLoginAt,
    });
  }
  return { rows, problems, lines: body.length };
}
