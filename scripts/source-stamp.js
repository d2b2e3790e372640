// A cheap fingerprint of source files: their names, sizes and modification times (one stat
// each, no reading), so that a build can tell whether it is older than its sources.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** Files under dir (recursively) that keep(name) accepts, skipping the directories in skip. */
export function filesUnder(dir, keep, skip = []) {
  const found = [];
  const walk = (at) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) {
        if (!skip.includes(entry.name)) walk(full);
      } else if (keep(entry.name)) found.push(full);
    }
  };
  walk(dir);
  return found;
}

/** The fingerprint of these files, named relative to root: 16 hex digits. */
export function sourceStamp(root, files) {
  const hash = createHash("sha256");
  for (const file of [...files].sort()) {
    const stat = fs.statSync(file);
    hash.update(`${path.relative(root, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest("hex").slice(0, 16);
}
