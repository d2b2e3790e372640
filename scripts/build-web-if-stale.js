#!/usr/bin/env node
// Builds the web app when web/dist is missing or older than any of its sources, so that
// `npm start` and `npm test` always serve the current UI without rebuilding every time.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const web = path.join(root, "web");
const built = path.join(web, "dist", "index.html");

function newest(entry) {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) {
    if (child === "dist" || child === "node_modules") continue;
    latest = Math.max(latest, newest(path.join(entry, child)));
  }
  return latest;
}

const stale = !fs.existsSync(built) || newest(web) > fs.statSync(built).mtimeMs;
if (stale) {
  console.log("Building the web app (web/dist)…");
  execFileSync(
    process.execPath,
    [
      path.join(root, "node_modules/vite/bin/vite.js"),
      "build",
      "--config",
      "web/vite.config.ts",
      "--logLevel",
      "warn",
    ],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
}
