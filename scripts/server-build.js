#!/usr/bin/env node
// The server compiled to JavaScript, so that `attest` does not compile TypeScript every time it
// starts. src/ is bundled by esbuild (the one tsx brings) into dist/server/<stamp>/, where the
// stamp sums up the sources' names, sizes and times: an edited source gets a new stamp, and
// the next start compiles again (about a second). Packages stay in node_modules.
//   node scripts/server-build.js   compiles now unless the build is fresh (npm's prepare runs it)
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { filesUnder, sourceStamp } from "./source-stamp.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BUILDS = path.join(root, "dist", "server");
const KEEP = 3;

/** The stamp of the server's sources: one stat per file of src/ (tests left out). */
function serverStamp() {
  const sources = filesUnder(
    path.join(root, "src"),
    (name) => name.endsWith(".ts") && !name.endsWith(".test.ts"),
  );
  // This file (how it compiles) and tsconfig.json (what esbuild reads of it) count too.
  return sourceStamp(root, [
    ...sources,
    fileURLToPath(import.meta.url),
    path.join(root, "tsconfig.json"),
  ]);
}

/** The compiled CLI for the current sources, compiling it first when there is none. */
export async function compiledCli() {
  const entry = path.join(BUILDS, serverStamp(), "cli.js");
  if (!fs.existsSync(entry)) await compile(path.dirname(entry));
  return entry;
}

async function compile(outdir) {
  // esbuild is tsx's own dependency: resolve it from there rather than declare a second copy.
  const fromTsx = createRequire(createRequire(import.meta.url).resolve("tsx/package.json"));
  const esbuild = await import(pathToFileURL(fromTsx.resolve("esbuild")).href);
  // Built aside, then renamed into place: a process starting meanwhile never sees half a build,
  // and two compiling at once both end with a whole one.
  const draft = `${outdir}.${process.pid}.tmp`;
  fs.rmSync(draft, { recursive: true, force: true });
  try {
    await esbuild.build({
      entryPoints: [path.join(root, "src", "cli.ts")],
      outdir: draft,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      packages: "external",
      sourcemap: "linked",
      logLevel: "silent",
      plugins: [sourceLocations(outdir)],
    });
    fs.renameSync(draft, outdir);
  } catch (error) {
    fs.rmSync(draft, { recursive: true, force: true });
    const code = error.code;
    if (code !== "EEXIST" && code !== "ENOTEMPTY") throw error; // else another process won
  }
  pruneOldBuilds(outdir);
}

/**
 * Sources find their files (the catalog, templates, the web build, stylesheets) relative to
 * import.meta.url. In the bundle each source's import.meta.url still names its own file in src/,
 * computed from the bundle's location, so the whole directory can move.
 */
function sourceLocations(outdir) {
  return {
    name: "source-locations",
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const source = fs.readFileSync(args.path, "utf8");
        if (!source.includes("import.meta.url")) return { contents: source, loader: "ts" };
        const relative = path.relative(outdir, args.path).split(path.sep).join("/");
        const own = `new URL(${JSON.stringify(relative)}, import.meta.url).href`;
        return { contents: source.replaceAll("import.meta.url", own), loader: "ts" };
      });
    },
  };
}

function pruneOldBuilds(current) {
  const builds = [];
  for (const entry of fs.readdirSync(BUILDS, { withFileTypes: true })) {
    const dir = path.join(BUILDS, entry.name);
    if (!entry.isDirectory() || dir === current) continue;
    const time = fs.statSync(dir).mtimeMs;
    // A draft is another process compiling now, unless it was left by one that died long ago.
    if (entry.name.endsWith(".tmp")) {
      if (Date.now() - time > 3_600_000) fs.rmSync(dir, { recursive: true, force: true });
    } else builds.push({ dir, time });
  }
  builds.sort((a, b) => b.time - a.time);
  // Older builds may still be running (a server loads some parts lazily): keep a few.
  for (const { dir } of builds.slice(KEEP - 1)) fs.rmSync(dir, { recursive: true, force: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const entry = await compiledCli();
  const took = Math.round(performance.now() - started);
  console.log(`Server compiled: ${path.relative(root, entry)} (${took} ms)`);
}
