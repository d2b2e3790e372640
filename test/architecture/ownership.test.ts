import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { areas } from "../../src/modules/index.ts";
import { SRC, sourceFiles } from "./source.ts";
import { MIGRATOR_TABLES, relative, schemaTables, tableUses } from "./tables.ts";

/**
 * Each area owns the tables its manifest lists: only its own source names them. Another area
 * reads them through the owner's `<area>.queries.ts` and writes them through its services.
 *
 * PENDING: known violations, as "file → table"; empty, and an entry that no longer
 * occurs fails too, so a list kept while a change is under way cannot go stale.
 */
const PENDING: readonly string[] = [];

/** Where the source that must respect ownership lives; src/db (the schema) is everybody's. */
const SCANNED = [
  path.join(SRC, "modules"),
  path.join(SRC, "platform"),
  path.join(SRC, "domain"),
  path.join(SRC, "public-site"),
  path.join(SRC, "cli.ts"),
  path.join(SRC, "server.ts"),
];

const owners = new Map<string, string>();
for (const area of areas) {
  for (const table of area.tables) {
    const other = owners.get(table);
    if (other) throw new Error(`Table ${table} is declared by both ${other} and ${area.name}`);
    owners.set(table, area.name);
  }
}

/** The area a file belongs to: its folder under src/modules, if that folder is an area. */
function areaOf(file: string): string | null {
  const [top, folder, rest] = relative(file).split("/").slice(1);
  if (top !== "modules" || rest === undefined) return null;
  return areas.some((area) => area.name === folder) ? (folder ?? null) : null;
}

function scannedFiles(): string[] {
  return SCANNED.flatMap((entry) =>
    entry.endsWith(".ts") ? (fs.existsSync(entry) ? [entry] : []) : sourceFiles(entry),
  );
}

interface Violation {
  key: string;
  message: string;
}

function violations(): Violation[] {
  const tables = schemaTables();
  const found = new Map<string, Violation>();
  for (const file of scannedFiles()) {
    const area = areaOf(file);
    for (const use of tableUses(fs.readFileSync(file, "utf8"), tables)) {
      const owner = owners.get(use.table);
      if (owner === area) continue;
      const key = `${relative(file)} → ${use.table}`;
      if (found.has(key)) continue;
      const whose = owner ? `owned by ${owner}` : "named in no manifest";
      found.set(key, {
        key,
        message: `${relative(file)}:${use.line} names ${use.table} (${use.how}), ${whose}`,
      });
    }
  }
  return [...found.values()];
}

describe("table ownership", () => {
  it("declares every table of the schema in exactly one manifest", () => {
    const unowned = [...schemaTables()].filter(
      (table) => !owners.has(table) && !MIGRATOR_TABLES.includes(table),
    );
    expect(unowned, "tables in src/db/types.ts that no manifest lists").toEqual([]);
    const unknown = [...owners.keys()].filter((table) => !schemaTables().has(table));
    expect(unknown, "tables a manifest lists that the schema lacks").toEqual([]);
  });

  it("lets an area name only its own tables", () => {
    const current = violations();
    const pending = new Set(PENDING);
    const fresh = current.filter((v) => !pending.has(v.key)).map((v) => v.message);
    expect(fresh, "read another area's tables through its <area>.queries.ts").toEqual([]);
  });

  it("keeps no allowlisted violation that is already fixed", () => {
    const current = new Set(violations().map((v) => v.key));
    const fixed = PENDING.filter((key) => !current.has(key));
    expect(fixed, "remove these from PENDING in ownership.test.ts").toEqual([]);
  });
});
