#!/usr/bin/env node
// Builds the web app when web/dist is missing or was built from other sources than those in
// web/ now, so that `npm start` and `npm test` always serve the current UI without rebuilding
// every time. The check is cheap: dist/web-source-stamp holds the fingerprint (names, sizes,
// times) of the sources web/dist was built from, compared with theirs now (it lives outside
// web/dist, which is served as it is).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { filesUnder, sourceStamp } from "./source-stamp.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const web = path.join(root, "web");
const dist = path.join(web, "dist");
const stampFile = path.join(root, "dist", "web-source-stamp");

const stamp = sourceStamp(
  root,
  filesUnder(web, () => true, ["dist", "node_modules"]),
);
const built = fs.existsSync(path.join(dist, "index.html")) && readStamp() === stamp;
if (!built) {
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
  fs.mkdirSync(path.dirname(stampFile), { recursive: true });
  fs.writeFileSync(stampFile, `${stamp}\n`);
}

function readStamp() {
  try {
    return fs.readFileSync(stampFile, "utf8").trim();
  } catch {
    return undefined;
  }
}
