import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { defineConfig, type Plugin, type UserConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
const backend = process.env.ATTEST_DEV_BACKEND ?? "http://localhost:3000";

/** Text files worth compressing; smaller ones gain less than their headers cost. */
const COMPRESSIBLE = /\.(?:js|css|html|svg|json|txt)$/;
const MIN_BYTES = 1024;
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Writes a brotli (`.br`) and a gzip (`.gz`) copy beside each built text file, once at build
 * time, so the server answers compressed without spending CPU per request
 * (@fastify/static's `preCompressed`). A copy that would not be smaller is not written.
 */
function precompress(): Plugin {
  let outDir = "";
  return {
    name: "attest-precompress",
    apply: "build",
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = fs
        .readdirSync(outDir, { recursive: true, encoding: "utf8" })
        .filter((file) => COMPRESSIBLE.test(file))
        .map((file) => path.join(outDir, file))
        .filter((file) => fs.statSync(file).size >= MIN_BYTES);
      // In parallel: zlib's asynchronous calls run on libuv's thread pool.
      await Promise.all(
        files.map(async (file) => {
          const raw = await fs.promises.readFile(file);
          const variants: [string, Buffer][] = [
            [
              ".br",
              await brotli(raw, {
                params: {
                  [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
                  [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
                },
              }),
            ],
            [".gz", await gzip(raw, { level: zlib.constants.Z_BEST_COMPRESSION })],
          ];
          for (const [extension, compressed] of variants) {
            if (compressed.length < raw.length) {
              await fs.promises.writeFile(file + extension, compressed);
            }
          }
        }),
      );
    },
  };
}

// JSX goes through Vite's built-in Oxc transform; no React plugin needed.
export default defineConfig(({ command }) => {
  // A build is what ships, whatever NODE_ENV the caller runs under (vitest sets "test", which
  // would bundle React's development build into web/dist, which `npm start` then serves).
  if (command === "build") process.env.NODE_ENV = "production";
  return config;
});

const config: UserConfig = {
  root,
  base: "/",
  oxc: {
    jsx: { runtime: "automatic" },
  },
  plugins: [precompress()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      // React libraries carry "use client" for server-component bundlers; irrelevant in an SPA.
      checks: { moduleLevelDirective: false },
    },
  },
  server: {
    proxy: {
      "/api": backend,
      "/trust": backend,
      "/healthz": backend,
      "/readyz": backend,
    },
  },
};
