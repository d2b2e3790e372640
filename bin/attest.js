#!/usr/bin/env node
// Runs the server compiled to JavaScript (scripts/server-build.js), compiling it first when a
// source changed since. Where it cannot be compiled (a read-only install, a build error), the
// TypeScript sources run through tsx's loader instead, as they always can. The build has source
// maps: NODE_OPTIONS=--enable-source-maps makes stack traces name the TypeScript lines (it
// slows the start, so it is not the default).
import module from "node:module";
import { pathToFileURL } from "node:url";
import { compiledCli } from "../scripts/server-build.js";

let entry;
try {
  entry = await compiledCli();
} catch (error) {
  const reason = error?.errors?.[0]?.text ?? error?.message ?? String(error);
  console.error(`(running the TypeScript sources: the server could not be compiled: ${reason})`);
}
if (entry) {
  // Node 22 and later keep the compiled bytecode of modules between runs; Node 20 has no cache.
  module.enableCompileCache?.();
  await import(pathToFileURL(entry).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli.ts");
}
