import { readFile } from "node:fs/promises";
import os from "node:os";
import { parseArgs } from "node:util";
import { parseAuthorizedKeys } from "./platform/authorized-keys.ts";
import { printable } from "./platform/terminal-text.ts";

/**
 * `attest collect ssh-keys --system NAME [--host HOST] [--url URL] [FILES…]`: reads a host's
 * authorized_keys files (or standard input), reports each malformed line on stderr, and posts
 * the files to the Attest API, which parses them itself and keeps the listing as dated evidence.
 * The API token comes from ATTEST_TOKEN only (a flag would show in `ps`). Exit codes: 0 posted,
 * 1 the API refused or could not be reached, 2 a usage error (options, a file that cannot be read).
 */

const USER_AGENT = "attest-cli/0.1.0";

class UsageError extends Error {}

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: () => Promise<string>;
  env: NodeJS.ProcessEnv;
}

const processIo: Io = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  stdin: async () => {
    if (process.stdin.isTTY) process.stderr.write("Reading authorized_keys from standard input…\n");
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
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
        host: { type: "string" },
        url: { type: "string" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Runs `attest collect …` with its arguments after "collect"; answers the exit code. */
export async function collect(argv: string[], help: string, io: Io = processIo): Promise<number> {
  try {
    return await run(argv, help, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`attest collect: ${printable(error.message)}\n\n${help}`);
    return 2;
  }
}

async function run(argv: string[], help: string, io: Io): Promise<number> {
  const { positionals, values } = options(argv);
  if (values.help) {
    io.stdout(help);
    return 0;
  }
  const [what, ...paths] = positionals;
  if (what !== "ssh-keys")
    throw new UsageError(what ? `unknown collection "${what}"` : "say what to collect: ssh-keys");
  if (!values.system?.trim())
    throw new UsageError("--system NAME is required (the system the host belongs to)");
  const base = values.url ?? io.env.ATTEST_URL;
  if (!base) throw new UsageError("give Attest's URL with --url or ATTEST_URL");
  const endpoint = listingsEndpoint(base);
  const token = io.env.ATTEST_TOKEN;
  if (!token) throw new UsageError("set ATTEST_TOKEN to an API token of an owner or admin");
  const host = values.host ?? os.hostname();
  const files = await readFiles(paths.length > 0 ? paths : ["-"], io);

  let keys = 0;
  for (const file of files) {
    const parsed = parseAuthorizedKeys(file.content, file.name);
    keys += parsed.entries.length;
    for (const problem of parsed.problems) {
      io.stderr(`${printable(problem.file)}:${problem.line}: ${printable(problem.message)}`);
    }
  }

  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "user-agent": USER_AGENT,
      },
      body: JSON.stringify({ system: values.system.trim(), host, files }),
      signal: AbortSignal.timeout(120_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    io.stderr(
      `attest collect: could not reach ${endpoint}: ${printable(cause ?? (error as Error).message)}`,
    );
    return 1;
  }
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (!response.ok || !body) {
    const detail = typeof body?.detail === "string" ? body.detail : response.statusText;
    io.stderr(
      `attest collect: the server refused the listing (${response.status}): ${printable(detail)}`,
    );
    return 1;
  }
  io.stdout(summary(body, keys, new URL(endpoint)));
  return 0;
}

/** `${base}/api/v1/key-listings`, for a base with or without a path of its own (or /api/v1). */
function listingsEndpoint(base: string): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new UsageError(`"${base}" is not a URL (e.g. https://attest.example.com)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`the URL must be http or https, not ${url.protocol}`);
  }
  // The API's own address is Attest's address too.
  const path = url.pathname.replace(/\/+$/, "").replace(/\/api\/v1$/, "");
  return `${url.origin}${path}/api/v1/key-listings`;
}

async function readFiles(paths: string[], io: Io) {
  if (paths.filter((path) => path === "-").length > 1) {
    throw new UsageError("standard input (-) can be read once");
  }
  const files: { name: string; content: string }[] = [];
  for (const path of paths) {
    if (path === "-") {
      files.push({ name: "-", content: await io.stdin() });
      continue;
    }
    try {
      files.push({ name: path, content: await readFile(path, "utf8") });
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new UsageError(`cannot read ${path}: ${reason}`);
    }
  }
  return files;
}

function summary(body: Record<string, unknown>, parsedKeys: number, endpoint: URL): string {
  const count = (key: string) => (typeof body[key] === "number" ? (body[key] as number) : 0);
  const problems = Array.isArray(body.problems) ? body.problems.length : 0;
  const system = (body.system as { name?: string } | undefined)?.name ?? "";
  const base = endpoint.href.replace(/\/api\/v1\/key-listings$/, "");
  const keys = count("keys");
  const lines = [
    `Collected ${keys} key${keys === 1 ? "" : "s"} from ${printable(String(body.host))} for ${printable(system)}` +
      `${problems ? ` (${problems} malformed line${problems === 1 ? "" : "s"} skipped)` : ""}.`,
    `  unknown: ${count("unknown")}, of departed people: ${count("departed")}, ` +
      `registered to several people: ${count("shared")}, without a grant: ${count("withoutGrant")}`,
    `Listing ${String(body.id)}: ${base}/key-listings/${String(body.id)}`,
  ];
  if (keys !== parsedKeys)
    lines.push(`(the server read ${keys} keys where this host read ${parsedKeys})`);
  return lines.join("\n");
}
