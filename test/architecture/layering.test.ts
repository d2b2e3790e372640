import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { areas } from "../../src/modules/index.ts";
import { lex, lineAt, relative, SRC, sourceFiles } from "./source.ts";

/**
 * The layers: platform, db, domain, the public-site kit and the monitoring engine sit below the
 * areas and import none of them. An area reaches another only through what it publishes: its
 * reads (`<area>.queries.ts`), its services (`*.service.ts`) and its API shapes (`*.schema.ts`);
 * never the list of areas (`src/modules/index.ts`), which only what starts Attest reads.
 *
 * PENDING: known violations, as "file → imported file"; empty, and an entry that no longer
 * occurs fails too, so a list kept while a change is under way cannot go stale.
 */
const PENDING: readonly string[] = [];

const MODULES = path.join(SRC, "modules");
const AREA_LIST = path.join(MODULES, "index.ts");

/** The monitoring area's own files; every other file of its folder is the engine. */
const MONITORING_AREA_FILES = new Set([
  "dashboard.service.ts",
  "getting-started.service.ts",
  "monitoring.module.ts",
  "monitoring.queries.ts",
  "monitoring.routes.ts",
  "monitoring.schema.ts",
]);

/** Files inside an area's folder that every area may use: the request guard of the routes. */
const SHARED_IN_AREAS = new Set(["src/modules/auth/auth-hook.ts"]);

function isEngine(file: string): boolean {
  const [top, folder, name] = relative(file).split("/").slice(1);
  return top === "modules" && folder === "monitoring" && !MONITORING_AREA_FILES.has(name ?? "");
}

/** The area (or other folder under src/modules) a file belongs to; null outside one. */
function folderOf(file: string): string | null {
  const [top, folder, rest] = relative(file).split("/").slice(1);
  return top === "modules" && rest !== undefined ? (folder ?? null) : null;
}

const areaNames = new Set(areas.map((area) => area.name));

/** Whether a file is part of an area (the engine and the shared guard are not). */
function isAreaFile(file: string): boolean {
  const folder = folderOf(file);
  if (folder === null || !areaNames.has(folder)) return false;
  return !isEngine(file) && !SHARED_IN_AREAS.has(relative(file));
}

/** Whether an area publishes this file for other areas to import. */
function isPublished(file: string): boolean {
  const name = path.basename(file);
  const folder = folderOf(file);
  return (
    name === `${folder}.queries.ts` || name.endsWith(".service.ts") || name.endsWith(".schema.ts")
  );
}

const BELOW = [
  path.join(SRC, "platform"),
  path.join(SRC, "db"),
  path.join(SRC, "domain"),
  path.join(SRC, "public-site"),
];

/** The relative imports of a source file (static, re-exports, dynamic), resolved, with lines. */
function importsOf(file: string): { target: string; line: number }[] {
  const source = fs.readFileSync(file, "utf8");
  const { code } = lex(source);
  const found: { target: string; line: number }[] = [];
  const pattern =
    /(?:\bimport\s+(?:type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?|\bexport\s+(?:type\s+)?[\w*${}\s,]*?\s+from\s+|\bimport\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g;
  for (const match of code.matchAll(pattern)) {
    const target = path.resolve(path.dirname(file), match[1] ?? "");
    found.push({ target, line: lineAt(source, match.index) });
  }
  return found;
}

interface Violation {
  key: string;
  message: string;
}

function violations(): Violation[] {
  const found: Violation[] = [];
  const report = (file: string, target: string, line: number, why: string) =>
    found.push({
      key: `${relative(file)} → ${relative(target)}`,
      message: `${relative(file)}:${line} imports ${relative(target)}: ${why}`,
    });

  const below = [...BELOW.flatMap(sourceFiles), ...sourceFiles(MODULES).filter(isEngine)];
  for (const file of below) {
    for (const { target, line } of importsOf(file)) {
      if (target === AREA_LIST) report(file, target, line, "the list of areas, from below them");
      else if (isAreaFile(target)) report(file, target, line, "an area, from below the areas");
    }
  }

  for (const file of sourceFiles(MODULES)) {
    const folder = folderOf(file);
    if (folder === null || isEngine(file) || SHARED_IN_AREAS.has(relative(file))) continue;
    for (const { target, line } of importsOf(file)) {
      if (target === AREA_LIST) {
        report(file, target, line, "the list of areas (only the server and the CLI read it)");
      } else if (
        isAreaFile(target) &&
        folderOf(target) !== folder &&
        !isPublished(target) &&
        // The demo's seeding builds on what the areas before it seeded (people on accounts).
        !(file.endsWith(".demo.ts") && target.endsWith(".demo.ts"))
      ) {
        report(file, target, line, "not published: use its .queries.ts or a service");
      }
    }
  }
  return found;
}

describe("layering", () => {
  it("keeps platform, db, domain, the public-site kit and the engine below the areas, and areas apart", () => {
    const pending = new Set(PENDING);
    const fresh = violations()
      .filter((v) => !pending.has(v.key))
      .map((v) => v.message);
    expect(fresh).toEqual([]);
  });

  it("keeps no allowlisted import that is already gone", () => {
    const current = new Set(violations().map((v) => v.key));
    expect(
      PENDING.filter((key) => !current.has(key)),
      "remove these from PENDING in layering.test.ts",
    ).toEqual([]);
  });
});
