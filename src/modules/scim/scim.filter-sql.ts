import { type RawBuilder, sql } from "kysely";
import {
  type AttrPath,
  attrPathText,
  type Filter,
  type Literal,
} from "../../domain/scim-filter.ts";
import { scimErrors } from "./scim.errors.ts";

/**
 * SCIM filters to SQL, set-based: each supported attribute names a column (or, for a
 * multi-valued one, an EXISTS over its values); anything else is refused as invalidFilter
 * naming it.
 */
export interface Column {
  expr: RawBuilder<unknown>;
  /** ci: case-insensitive string (caseExact false); exact: case-exact string. */
  type: "ci" | "exact" | "bool" | "date";
}

export interface MultiValued {
  /** EXISTS over the values, where `condition` holds for one of them. */
  exists: (condition: RawBuilder<boolean>) => RawBuilder<boolean>;
  /** A sub-attribute of one value, or null when it has none such. */
  sub: (name: string) => Column | null;
  /** The sub-attribute a bare `emails eq "…"` compares. */
  primary: string;
}

export type Resolved = Column | MultiValued;
export type Resolver = (path: AttrPath) => Resolved | null;

export function filterToSql(filter: Filter, resolve: Resolver): RawBuilder<boolean> {
  switch (filter.kind) {
    case "and":
      return sql<boolean>`(${filterToSql(filter.left, resolve)} AND ${filterToSql(filter.right, resolve)})`;
    case "or":
      return sql<boolean>`(${filterToSql(filter.left, resolve)} OR ${filterToSql(filter.right, resolve)})`;
    case "not":
      return sql<boolean>`(NOT coalesce(${filterToSql(filter.filter, resolve)}, false))`;
    case "valuePath": {
      const target = known(filter.path, resolve);
      if (!("exists" in target)) {
        throw scimErrors.invalidFilter(`${attrPathText(filter.path)} is not multi-valued`);
      }
      return target.exists(
        filterToSql(filter.filter, (inner) => {
          if (inner.schema || inner.sub) return null;
          return target.sub(inner.name);
        }),
      );
    }
    case "present":
    case "compare": {
      const target = known(filter.path, resolve);
      const condition = (column: Column) =>
        filter.kind === "present"
          ? present(column)
          : compare(column, filter.op, filter.value, attrPathText(filter.path));
      if (!("exists" in target)) return condition(target);
      const column = target.sub(filter.path.sub ?? target.primary);
      if (!column)
        throw scimErrors.invalidFilter(`unsupported attribute ${attrPathText(filter.path)}`);
      return target.exists(condition(column));
    }
  }
}

function known(path: AttrPath, resolve: Resolver): Resolved {
  const target = resolve(path);
  if (!target) throw scimErrors.invalidFilter(`unsupported attribute ${attrPathText(path)}`);
  return target;
}

function present(column: Column): RawBuilder<boolean> {
  return column.type === "ci" || column.type === "exact"
    ? sql<boolean>`(${column.expr} IS NOT NULL AND ${column.expr} <> '')`
    : sql<boolean>`(${column.expr} IS NOT NULL)`;
}

const SQL_OPS = { eq: "=", ne: "<>", gt: ">", ge: ">=", lt: "<", le: "<=" } as const;

function compare(column: Column, op: string, value: Literal, name: string): RawBuilder<boolean> {
  if (value === null) {
    if (op === "eq") return sql<boolean>`(${column.expr} IS NULL)`;
    if (op === "ne") return sql<boolean>`(${column.expr} IS NOT NULL)`;
    throw scimErrors.invalidFilter(`${name}: "${op}" cannot compare with null`);
  }
  if (column.type === "bool") {
    if (typeof value !== "boolean" || (op !== "eq" && op !== "ne")) {
      throw scimErrors.invalidFilter(`${name} is a boolean: use eq or ne with true or false`);
    }
    return op === "eq"
      ? sql<boolean>`(${column.expr} = ${value})`
      : sql<boolean>`(${column.expr} IS DISTINCT FROM ${value})`;
  }
  if (typeof value !== "string") {
    throw scimErrors.invalidFilter(`${name} is compared with a string`);
  }
  if (column.type === "date") {
    const at = new Date(value);
    if (Number.isNaN(at.getTime()) || !(op in SQL_OPS)) {
      throw scimErrors.invalidFilter(
        `${name} is a date-time: compare it with eq, ne, gt, ge, lt or le and an ISO 8601 string`,
      );
    }
    return sql<boolean>`(${column.expr} ${sql.raw(SQL_OPS[op as keyof typeof SQL_OPS])} ${at})`;
  }
  const ci = column.type === "ci";
  const left = ci ? sql`lower(${column.expr})` : column.expr;
  const right = ci ? value.toLowerCase() : value;
  const like = right.replace(/[\\%_]/g, (c) => `\\${c}`);
  switch (op) {
    case "co":
      return sql<boolean>`(${left} LIKE ${`%${like}%`})`;
    case "sw":
      return sql<boolean>`(${left} LIKE ${`${like}%`})`;
    case "ew":
      return sql<boolean>`(${left} LIKE ${`%${like}`})`;
    case "ne":
      return sql<boolean>`(${left} IS DISTINCT FROM ${right})`;
    default:
      return sql<boolean>`(${left} ${sql.raw(SQL_OPS[op as keyof typeof SQL_OPS])} ${right})`;
  }
}
