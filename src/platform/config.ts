import path from "node:path";
import { z } from "zod";

/**
 * Every environment variable Attest reads, validated once at start. The README's configuration
 * table mirrors this schema; keep them in step.
 */
const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("localhost"),
  ATTEST_DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  ATTEST_PUBLIC_URL: z.url().optional(),
  ATTEST_TLS_CERT: z.string().min(1).optional(),
  ATTEST_TLS_KEY: z.string().min(1).optional(),
  ATTEST_MASTER_KEY: z
    .string()
    .regex(
      /^(mac:)?[A-Za-z0-9+/]{43}=(,(mac:)?[A-Za-z0-9+/]{43}=)*$/,
      "must be 32-byte keys encoded as base64 (44 characters each), comma-separated, newest first",
    )
    .optional(),
  ATTEST_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(43200).default(720),
  ATTEST_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(8760).default(168),
  ATTEST_LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(100000).default(10),
  ATTEST_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(104857600).default(1048576),
  ATTEST_EVIDENCE_MAX_BYTES: z.coerce.number().int().min(1024).max(10737418240).default(26214400),
  // issue 13: scan imports
  ATTEST_SCAN_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(68719476736)
    .default(2147483648),
  ATTEST_TRUST_PROXY: booleanFlag.default(false),
  ATTEST_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  ATTEST_MAIL_FROM: z.string().min(3).default("Attest <attest@localhost>"),
  ATTEST_TRUST_HOST: z
    .string()
    .regex(
      /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i,
      "must be a host name such as trust.example.com (no scheme or path)",
    )
    .optional(),
  ATTEST_REPORT_POW_BITS: z.coerce.number().int().min(0).max(28).default(16),
  // issue 15: endpoints (the live TLS probe)
  ATTEST_PROBE_INTERVAL_HOURS: z.coerce.number().int().min(1).max(8760).default(24),
  ATTEST_PROBE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  ATTEST_PROBE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(5000),
  ATTEST_PROBE_ALLOW_PRIVATE: booleanFlag.default(false),
  ATTEST_PROBE_ALLOW_LOOPBACK: booleanFlag.default(false),
  // issue 16: single sign-on
  ATTEST_SSO_ALLOW_HTTP_ISSUER: booleanFlag.default(false),
  ATTEST_PROBE_CA_FILE: z.string().min(1).optional(),
  // issue 15: Attest's own backups
  ATTEST_BACKUP_DIR: z.string().min(1).optional(),
  ATTEST_BACKUP_EVERY_HOURS: z.coerce.number().int().min(0).max(8760).default(24),
  ATTEST_BACKUP_KEEP: z.coerce.number().int().min(1).max(10000).default(14),
  ATTEST_RESTORE_TEST_EVERY_DAYS: z.coerce.number().int().min(0).max(366).default(30),
  ATTEST_LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info"),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  publicUrl: string | undefined;
  tls: { certFile: string; keyFile: string } | undefined;
  masterKey: string | undefined;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  loginRateLimit: number;
  bodyLimitBytes: number;
  /** Largest evidence file accepted, in bytes (ATTEST_EVIDENCE_MAX_BYTES). */
  evidenceMaxBytes: number;
  /** Largest scanner file a scan import takes, in bytes (ATTEST_SCAN_IMPORT_MAX_BYTES). */
  scanImportMaxBytes: number;
  trustProxy: boolean;
  logLevel: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Host name whose root serves the public trust center (ATTEST_TRUST_HOST), lower case. */
  trustHost: string | undefined;
  /** Leading zero bits the reporting form's proof-of-work must find (ATTEST_REPORT_POW_BITS). */
  reportPowBits: number;
  // issue 15: endpoints
  /** The live TLS probe of registered endpoints (ATTEST_PROBE_*). */
  probe: ProbeConfig;
  // issue 15: Attest's own backups
  /** Where archives of Attest's own backups go (ATTEST_BACKUP_DIR, default <data dir>/backups). */
  backupDir: string;
  /** Hours between scheduled backups; 0 turns them off (ATTEST_BACKUP_EVERY_HOURS). */
  backupEveryHours: number;
  /** Archives kept; older ones are deleted after a successful backup (ATTEST_BACKUP_KEEP). */
  backupKeep: number;
  /** Days between scheduled restore tests of the newest archive; 0 = off. */
  restoreTestEveryDays: number;
  /**
   * A single sign-on issuer on a loopback address may use plain http
   * (ATTEST_SSO_ALLOW_HTTP_ISSUER; for tests and local trials only). Any other issuer is https.
   */
  ssoAllowHttpIssuer: boolean;
}

export interface ProbeConfig {
  /** A scheduled probe is due once the last is this old. */
  intervalHours: number;
  /** Endpoints probed at once by the scheduled run. */
  concurrency: number;
  /** Deadline of the lookup and of each connection. */
  timeoutMs: number;
  /** Private (RFC 1918, unique-local, CGNAT) and loopback addresses are refused unless set. */
  allowPrivate: boolean;
  allowLoopback: boolean;
  /** A PEM file of certificates trusted besides the system's roots (an internal CA). */
  caFile: string | undefined;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(blankToUndefined(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (Boolean(e.ATTEST_TLS_CERT) !== Boolean(e.ATTEST_TLS_KEY)) {
    const missing = e.ATTEST_TLS_CERT ? "ATTEST_TLS_KEY" : "ATTEST_TLS_CERT";
    throw new ConfigError(
      `Invalid configuration:\n  ${missing}: required when the other TLS variable is set`,
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.ATTEST_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    publicUrl: e.ATTEST_PUBLIC_URL,
    tls:
      e.ATTEST_TLS_CERT && e.ATTEST_TLS_KEY
        ? { certFile: e.ATTEST_TLS_CERT, keyFile: e.ATTEST_TLS_KEY }
        : undefined,
    masterKey: e.ATTEST_MASTER_KEY,
    sessionIdleMinutes: e.ATTEST_SESSION_IDLE_MINUTES,
    sessionMaxHours: e.ATTEST_SESSION_MAX_HOURS,
    loginRateLimit: e.ATTEST_LOGIN_RATE_LIMIT,
    bodyLimitBytes: e.ATTEST_BODY_LIMIT_BYTES,
    evidenceMaxBytes: e.ATTEST_EVIDENCE_MAX_BYTES,
    scanImportMaxBytes: e.ATTEST_SCAN_IMPORT_MAX_BYTES,
    trustProxy: e.ATTEST_TRUST_PROXY,
    logLevel: e.ATTEST_LOG_LEVEL,
    smtpUrl: e.ATTEST_SMTP_URL,
    mailFrom: e.ATTEST_MAIL_FROM,
    trustHost: e.ATTEST_TRUST_HOST?.toLowerCase(),
    reportPowBits: e.ATTEST_REPORT_POW_BITS,
    probe: {
      intervalHours: e.ATTEST_PROBE_INTERVAL_HOURS,
      concurrency: e.ATTEST_PROBE_CONCURRENCY,
      timeoutMs: e.ATTEST_PROBE_TIMEOUT_MS,
      allowPrivate: e.ATTEST_PROBE_ALLOW_PRIVATE,
      allowLoopback: e.ATTEST_PROBE_ALLOW_LOOPBACK,
      caFile: e.ATTEST_PROBE_CA_FILE,
    },
    backupDir: path.resolve(e.ATTEST_BACKUP_DIR ?? path.join(e.ATTEST_DATA_DIR, "backups")),
    backupEveryHours: e.ATTEST_BACKUP_EVERY_HOURS,
    backupKeep: e.ATTEST_BACKUP_KEEP,
    restoreTestEveryDays: e.ATTEST_RESTORE_TEST_EVERY_DAYS,
    ssoAllowHttpIssuer: e.ATTEST_SSO_ALLOW_HTTP_ISSUER,
  };
}

/** An exported-but-empty variable (`PORT=`) means "use the default", as most tools treat it. */
function blankToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    out[key] = value === undefined || value.trim() === "" ? undefined : value;
  }
  return out;
}
