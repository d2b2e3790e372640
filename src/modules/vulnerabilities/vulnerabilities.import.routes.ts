import type { Readable } from "node:stream";
import type { Deps } from "../../platform/deps.ts";
import { problemSchema } from "../../platform/http/problem.ts";
import { idParams, listOf } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { evidenceEnvOf } from "../evidence/evidence.service.ts";
import {
  scanImportQuery,
  scanImportsQuery,
  scanImportView,
} from "./vulnerabilities.import.schema.ts";
import { getScanImport, importScan, listScanImports } from "./vulnerabilities.import.ts";
import { scanFileTooLarge, withSpooledFile } from "./vulnerabilities.import-spool.ts";

/**
 * Scanner file imports (issue 13): posting a file needs vulnerabilities.manage (a user's or an
 * API token's, as `attest import findings` sends it); reading the imports vulnerabilities.read.
 */
const tags = ["vulnerabilities"];

/** The body of an import is the file itself, whatever its declared type. */
export const SCAN_FILE_TYPES = [
  "application/json",
  "application/sarif+json",
  "text/csv",
  "text/plain",
  "application/octet-stream",
];

const HOW =
  "The body is the scanner file itself (SARIF 2.1.0, Trivy JSON, Grype JSON, npm audit JSON, " +
  "OSV-Scanner JSON or Attest's CSV), sent with any content type; the format is detected " +
  "from the content unless `format` names it. The system is `systemId` or `system` (a name). " +
  "The scan's time is the file's own where it says, else `scannedAt`, else now. The file is " +
  "streamed to disk, never held in memory, up to ATTEST_SCAN_IMPORT_MAX_BYTES (2 GiB by " +
  "default). 201: recorded; 200: a dry run (`dryRun=true`, nothing written) or the same file " +
  "as the system's latest import of that tool (`duplicate: true`, nothing written). A scan " +
  "older than the latest import of the same system and tool is a 409.";

/**
 * The request stream as the body: held privately, so that nothing walking bodies (the depth
 * and NUL check every request gets) walks the socket instead.
 */
class RawBody {
  readonly #stream: Readable;
  constructor(stream: Readable) {
    this.#stream = stream;
  }
  get stream(): Readable {
    return this.#stream;
  }
}

export function scanImportRoutes(app: App, deps: Deps): void {
  const env = evidenceEnvOf(deps);
  const maxBytes = deps.config.scanImportMaxBytes;

  // Its own scope: here, and only here, a body of any type is handed over as the raw stream.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    const raw = (_request: unknown, payload: Readable, done: (e: null, b: RawBody) => void) =>
      done(null, new RawBody(payload));
    scope.addContentTypeParser(SCAN_FILE_TYPES, raw);
    scope.addContentTypeParser("*", raw);
    // A file refused before it was read whole (too large) leaves the client sending: close
    // the connection after the answer rather than read the rest.
    scope.addHook("onSend", async (request, reply, payload) => {
      if (!request.raw.complete) reply.header("connection", "close");
      return payload;
    });
    const typed = scope as unknown as App;

    typed.post(
      "/api/v1/finding-imports",
      {
        config: { access: "vulnerabilities.manage" },
        schema: {
          tags,
          summary: "Imports a scanner file's findings for a system",
          description: HOW,
          querystring: scanImportQuery,
          response: {
            200: scanImportView,
            201: scanImportView,
            400: problemSchema,
            409: problemSchema,
            413: problemSchema,
          },
        },
      },
      async (request, reply) => {
        const declared = Number(request.headers["content-length"]);
        if (Number.isFinite(declared) && declared > maxBytes) {
          throw scanFileTooLarge(maxBytes);
        }
        const answer = await withSpooledFile(
          (request.body as RawBody | undefined)?.stream,
          maxBytes,
          (file) =>
            importScan(contextOf(request, deps), env, {
              ...request.query,
              file,
              log: (message) => request.log.info(message),
            }),
        );
        return reply.code(answer.status).send(answer.view);
      },
    );
  });

  app.get(
    "/api/v1/finding-imports",
    {
      config: { access: "vulnerabilities.read" },
      schema: {
        tags,
        summary: "Scanner file imports, newest first",
        querystring: scanImportsQuery,
        response: { 200: listOf(scanImportView) },
      },
    },
    async (request) => listScanImports(contextOf(request, deps), request.query),
  );

  app.get(
    "/api/v1/finding-imports/:id",
    {
      config: { access: "vulnerabilities.read" },
      schema: {
        tags,
        summary: "A scanner file import: when, what file, and what it changed",
        params: idParams,
        response: { 200: scanImportView },
      },
    },
    async (request) => getScanImport(contextOf(request, deps), request.params.id),
  );
}
