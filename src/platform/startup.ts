import net from "node:net";
import type { Config } from "./config.ts";

/** A reason Attest cannot start that one line explains; the CLI prints only its message. */
export class StartupError extends Error {
  override name = "StartupError";
}

/**
 * Fails fast, before the database is opened, when the port cannot be listened on. Listening
 * can still fail later (another process may take the port meanwhile): see listenFailure.
 */
export async function checkPortFree(config: Pick<Config, "host" | "port">): Promise<void> {
  if (config.port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error) => reject(listenFailure(error, config)));
    probe.listen({ port: config.port, host: config.host }, () => {
      probe.close(() => resolve());
    });
  });
}

/** The one line that explains why listening failed, or the error itself when it is not known. */
export function listenFailure(error: unknown, config: Pick<Config, "host" | "port">): Error {
  const where = `port ${config.port} on ${config.host}`;
  switch ((error as NodeJS.ErrnoException).code) {
    case "EADDRINUSE":
      return new StartupError(
        `Cannot listen on ${where}: it is already in use (another Attest, or another program). Stop that program, or set PORT to a free port, e.g. PORT=${config.port === 3000 ? 3001 : 3000}.`,
      );
    case "EACCES":
      return new StartupError(
        `Cannot listen on ${where}: permission denied (ports below 1024 need privileges). Set PORT to 1024 or above and put a reverse proxy in front, or run with the privilege to bind it.`,
      );
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
      return new StartupError(
        `Cannot listen on ${where}: ${config.host} is not an address of this machine. Set HOST to one of its addresses, localhost, or 0.0.0.0 for all of them.`,
      );
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}

/** The address to open in a browser: ATTEST_PUBLIC_URL, else where Attest listens. */
export function browserUrl(
  config: Pick<Config, "host" | "port" | "publicUrl" | "tls">,
  port = config.port,
): string {
  if (config.publicUrl) return config.publicUrl;
  const wildcard = ["0.0.0.0", "::", "[::]"].includes(config.host);
  const host = wildcard
    ? "localhost"
    : config.host.includes(":")
      ? `[${config.host}]`
      : config.host;
  return `${config.tls ? "https" : "http"}://${host}:${port}`;
}

/** The human lines printed once Attest listens, beside its JSON logs. */
export function startupMessage(options: {
  url: string;
  setupRequired: boolean;
  newMasterKeyFile: string | undefined;
}): string {
  const lines = [
    `Attest is ready at ${options.url}${options.setupRequired ? " (the first visit leads to setup)" : ""}.`,
  ];
  if (options.newMasterKeyFile) {
    lines.push(
      `A new master key was written to ${options.newMasterKeyFile}. Back it up now and keep it safe: without it the encrypted data (MFA secrets, evidence files) cannot be read.`,
    );
  }
  return `${lines.join("\n")}\n`;
}
