import fs from "node:fs";
import { Readable, Transform } from "node:stream";
import { parseArgs } from "node:util";
import { SCAN_FORMATS } from "./db/tables/vulnerabilities.ts";
import { printable } from "./platform/terminal-text.ts";

/**
 * `attest import findings FILE|- --system NAME [--format F] [--scanned-at ISO] [--dry-run]`:
 * streams a scanner file (or standard input) to the Attest API, which reads its findings and
 * merges them into the system's. The file is never held in memory: it is sent as it is read,
 * with a progress line on stderr for long uploads. The API token comes from ATTEST_TOKEN only
 * (a flag would show in `ps`). Exit codes: 0 imported (or checked, for a dry run), 1 the API
 * refused or could not be reached, 2 a usage error.
 */

const USER_AGENT = "attest-cli/0.1.0";

class UsageError extends Error {}

export interface ImportIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: () => Readable;
  env: NodeJS.ProcessEnv;
}

const processIo: ImportIo = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  stdin: () => process.stdin,
  env: process.env,
};

function options(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: "boolean", short: "h" },
        system: { type: "string" },
        format: { type: "string" },
        "scanned-at": { type: "string" },
        "dry-run": { type: "boolean" },
        url: { type: "string" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Runs `attest import …` with its arguments after "import"; answers the exit code. */
export async function importFindings(
  argv: string[],
  help: string,
  io: ImportIo = processIo,
): Promise<number> {
  try {
    return await run(argv, help, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`attest import: ${printable(error.message)}\n\n${help}`);
    return 2;
  }
}

function endpointOf(base: string): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new UsageError(`"${base}" is not a URL (e.g. https://attest.example.com)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`the URL must be http or https, not ${url.protocol}`);
  }
  const path = url.pathname.replace(/\/+$/, "").replace(/\/api\/v1$/, "");
  return new URL(`${url.origin}${path}/api/v1/finding-imports`);
}

/** The file (or standard input) as a stream, and its size when known. */
async function source(
  path: string,
  io: ImportIo,
): Promise<{ stream: Readable; size: number | null; name: string | null }> {
  if (path === "-") return { stream: io.stdin(), size: null, name: null };
  let size: number;
  try {
    const stat = await fs.promises.stat(path);
    if (!stat.isFile()) throw new UsageError(`${path} is not a file`);
    size = stat.size;
    await fs.promises.access(path, fs.constants.R_OK);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`cannot read ${path}: ${reason}`);
  }
  const name = path.split(/[/\\]/).at(-1) ?? null;
  return { stream: fs.createReadStream(path), size, name };
}

const MIB = 1024 * 1024;

/** From this size on, a final progress line is printed even if the upload was quick. */
const LONG_FILE = 16 * MIB;

/** Counts the bytes going by, printing a progress line at most every second. */
function progress(size: number | null, io: ImportIo): Transform {
  let sent = 0;
  let last = Date.now();
  let printed = false;
  const line = () => {
    const of = size
      ? ` of ${(size / MIB).toFixed(1)} MiB (${Math.floor((sent / size) * 100)}%)`
      : "";
    io.stderr(`sent ${(sent / MIB).toFixed(1)} MiB${of}`);
    printed = true;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      const now = Date.now();
      if (now - last >= 1_000) {
        last = now;
        line();
      }
      callback(null, chunk);
    },
    flush(callback) {
      if (printed || sent >= LONG_FILE) line();
      callback();
    },
  });
}

async function run(argv: string[], help: string, io: ImportIo): Promise<number> {
  const { positionals, values } = options(argv);
  if (values.help) {
    io.stdout(help);
    return 0;
  }
  const [what, file, ...extra] = positionals;
  if (what !== "findings") {
    throw new UsageError(what ? `unknown import "${what}"` : "say what to import: findings");
  }
  if (!file) throw new UsageError("name the scanner file (or - for standard input)");
  if (extra.length > 0) throw new UsageError("import one file at a time");
  if (!values.system?.trim())
    throw new UsageError("--system NAME is required (the system scanned)");
  const format = values.format ?? "auto";
  if (format !== "auto" && !(SCAN_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be auto or one of ${SCAN_FORMATS.join(", ")}`);
  }
  const scannedAt = values["scanned-at"];
  if (scannedAt !== undefined && Number.isNaN(Date.parse(scannedAt))) {
    throw new UsageError("--scanned-at must be an ISO 8601 time, e.g. 2026-11-30T08:00:00Z");
  }
  const base = values.url ?? io.env.ATTEST_URL;
  if (!base) throw new UsageError("give Attest's URL with --url or ATTEST_URL");
  const endpoint = endpointOf(base);
  const token = io.env.ATTEST_TOKEN;
  if (!token) throw new UsageError("set ATTEST_TOKEN to an API token of an owner, admin or editor");
  const input = await source(file, io);

  endpoint.searchParams.set("system", values.system.trim());
  endpoint.searchParams.set("format", format);
  if (scannedAt) endpoint.searchParams.set("scannedAt", new Date(scannedAt).toISOString());
  if (input.name) endpoint.searchParams.set("fileName", input.name);
  if (values["dry-run"]) endpoint.searchParams.set("dryRun", "true");

  let response: Response;
  try {
    const body = Readable.toWeb(input.stream.pipe(progress(input.size, io)));
    response = await fetch(endpoint, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/octet-stream",
        "user-agent": USER_AGENT,
      },
      body: body as unknown as RequestInit["body"],
      duplex: "half",
    } as RequestInit);
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    io.stderr(
      `attest import: could not reach ${endpoint.origin}: ${printable(cause ?? (error as Error).message)}`,
    );
    return 1;
  }
  const answer = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (!response.ok || !answer) {
    const detail = typeof answer?.detail === "string" ? answer.detail : response.statusText;
    io.stderr(
      `attest import: the server refused the file (${response.status}): ${printable(detail)}`,
    );
    const problems = Array.isArray(answer?.errors)
      ? (answer.errors as { field: string; message: string }[])
      : [];
    for (const problem of problems.slice(0, 50)) {
      io.stderr(`  ${printable(problem.field)}: ${printable(problem.message)}`);
    }
    return 1;
  }
  io.stdout(summary(answer, endpoint));
  return 0;
}

function summary(body: Record<string, unknown>, endpoint: URL): string {
  const n = (key: string) => (typeof body[key] === "number" ? (body[key] as number) : 0);
  const what = `${printable(String(body.tool))} scan of ${printable(String(body.systemName))} (${printable(String(body.scannedAt))})`;
  const counts = `${n("results")} results: ${n("created")} new, ${n("unchanged")} unchanged, ${n("reopened")} reopened, ${n("resolved")} resolved`;
  const base = endpoint.href.replace(/\/api\/v1\/finding-imports.*$/, "");
  if (body.dryRun)
    return `Checked ${what}; importing it would give ${counts}. Nothing was written.`;
  if (body.duplicate)
    return `${what} was imported already (the same file); nothing changed.\n${counts}`;
  return `Imported ${what}: ${counts}.\nFindings: ${base}/vulnerabilities?systemId=${String(body.systemId)}`;
}
