#!/usr/bin/env node
// Runs a TypeScript file (benchmarks, scripts) through tsx's loader: node bin/run-ts.js file.ts
import path from "node:path";
import { pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

register();
const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bin/run-ts.js <file.ts> [args]");
  process.exit(1);
}
process.argv = [process.argv[0], file, ...rest];
await import(pathToFileURL(path.resolve(file)).href);
