import http from "node:http";
import https from "node:https";
import net from "node:net";
import tls from "node:tls";
import { type Lookup, OutboundRefusedError, resolveOutbound } from "./outbound.ts";

/**
 * The live probe of an internet-facing endpoint (issue 15, CONTROLS.md `endpoints-tls`): which
 * TLS versions it accepts, whether its certificate chain validates for its host name and when
 * it expires, whether plain HTTP redirects to HTTPS, and its HSTS header. The host is resolved
 * once through the outbound policy and every connection goes to that address, the name only in
 * SNI and the Host header. Every socket has a deadline; a probe never throws for what the
 * network does, it reports it in `errors`.
 */

export const TLS_VERSIONS = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

export interface CertificateReport {
  subject: string;
  issuer: string;
  /** ISO 8601 UTC. */
  notBefore: string;
  notAfter: string;
  /** Whole days from the probe to notAfter; negative once expired. */
  daysToExpiry: number;
  fingerprint256: string;
  /** The chain validates up to a trusted root (the system's, plus `ca`), dates included. */
  chainValid: boolean;
  /** The certificate names the host (tls.checkServerIdentity). */
  hostnameValid: boolean;
  /** Why the chain or the name does not validate, or null. */
  error: string | null;
}

export interface Hsts {
  maxAge: number;
  includeSubDomains: boolean;
  preload: boolean;
}

export interface TlsProbeResult {
  host: string;
  port: number;
  /** The address every connection went to; null when the host was refused or not resolved. */
  address: string | null;
  /** ISO 8601 UTC. */
  probedAt: string;
  tlsVersions: TlsVersion[];
  certificate: CertificateReport | null;
  /** Null when nothing answered plain HTTP (connection refused or timed out). */
  httpRedirectsToHttps: boolean | null;
  hsts: Hsts | null;
  errors: string[];
}

export interface ProbeOptions {
  port?: number;
  httpPort?: number;
  /**
   * Deadline of the DNS lookup and of each connection (default 5 s). The lookup, the version
   * handshakes and then the certificate and HTTPS reads run one after the other, so a probe
   * ends within about three times this.
   */
  timeoutMs?: number;
  /** PEM certificates trusted besides the system's roots. */
  ca?: string[];
  allowPrivate?: boolean;
  allowLoopback?: boolean;
  /** The resolver (tests pass their own); the probe connects to the first address it answers. */
  lookup?: Lookup;
  now?: () => Date;
}

const DAY_MS = 86_400_000;

/** OpenSSL's verification codes in words an auditor reads. */
const VERIFY_ERRORS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed certificate",
  SELF_SIGNED_CERT_IN_CHAIN: "self-signed certificate in the chain",
  UNABLE_TO_GET_ISSUER_CERT: "unable to get the issuer certificate",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "unable to get the issuer certificate",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "unable to verify the first certificate",
  CERT_HAS_EXPIRED: "certificate has expired",
  CERT_NOT_YET_VALID: "certificate is not yet valid",
  CERT_REVOKED: "certificate has been revoked",
  CERT_SIGNATURE_FAILURE: "certificate signature failure",
};

function hostForHeader(host: string, port: number, defaultPort: number): string {
  const name = net.isIP(host) === 6 ? `[${host}]` : host;
  return port === defaultPort ? name : `${name}:${port}`;
}

/** Runs `start` with a deadline: past it, the handle it returns is destroyed and the answer is an error. */
function bounded<T>(
  timeoutMs: number,
  what: string,
  start: (settle: (outcome: T | Error) => void) => { destroy: () => void },
): Promise<T> {
  return new Promise((resolve, reject) => {
    let done = false;
    const settle = (outcome: T | Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      handle.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(
      () => settle(new Error(`${what}: timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    const handle = start(settle);
  });
}

/** OpenSSL 3 does not even offer TLS 1.0 and 1.1 above security level 0. */
function ciphersFor(version: TlsVersion): string | undefined {
  return version === "TLSv1" || version === "TLSv1.1" ? "DEFAULT@SECLEVEL=0" : undefined;
}

/**
 * To the checked address, the name in SNI; the chain judged by OpenSSL but not refused, the
 * name judged apart. `lowest`: the oldest version to offer (an endpoint serving only TLS 1.1
 * still shows its certificate).
 */
function tlsOptions(
  host: string,
  address: string,
  port: number,
  lowest: TlsVersion = "TLSv1.2",
): tls.ConnectionOptions {
  return {
    host: address,
    port,
    servername: net.isIP(host) === 0 ? host : undefined,
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined,
    minVersion: lowest,
    ciphers: ciphersFor(lowest),
  };
}

/** Whether a handshake limited to exactly `version` succeeds. */
function acceptsVersion(
  host: string,
  address: string,
  port: number,
  version: TlsVersion,
  timeoutMs: number,
): Promise<boolean> {
  return bounded(timeoutMs, version, (settle) => {
    const socket = tls.connect({
      ...tlsOptions(host, address, port, version),
      maxVersion: version,
    });
    socket.once("secureConnect", () => settle(socket.getProtocol() === version));
    socket.once("error", () => settle(false));
    socket.once("close", () => settle(false));
    return socket;
  });
}

function describeVerifyError(code: string): string {
  return `${VERIFY_ERRORS[code] ?? code.toLowerCase().replaceAll("_", " ")} (${code})`;
}

const contexts = new Map<string, tls.SecureContext>();

/**
 * The context trusting the system's roots plus `extra`: built once per set and reused, since
 * loading the roots takes some 20 ms of CPU, more than the rest of a probe on loopback.
 */
function trustContext(extra: string[], lowest: TlsVersion): tls.SecureContext | undefined {
  if (extra.length === 0) return undefined;
  const key = `${lowest}\n${extra.join("\n")}`;
  let context = contexts.get(key);
  if (!context) {
    if (contexts.size >= 32) contexts.clear();
    context = tls.createSecureContext({
      ca: [...tls.rootCertificates, ...extra],
      minVersion: lowest,
      ciphers: ciphersFor(lowest),
    });
    contexts.set(key, context);
  }
  return context;
}

function readCertificate(
  host: string,
  address: string,
  port: number,
  lowest: TlsVersion,
  trusted: string[],
  timeoutMs: number,
  now: Date,
): Promise<CertificateReport> {
  return bounded(timeoutMs, "certificate", (settle) => {
    const socket = tls.connect({
      ...tlsOptions(host, address, port, lowest),
      secureContext: trustContext(trusted, lowest),
    });
    socket.once("secureConnect", () => {
      const peer = socket.getPeerCertificate(true);
      const x509 = socket.getPeerX509Certificate();
      if (!x509 || !peer || Object.keys(peer).length === 0) {
        settle(new Error("certificate: the server sent none"));
        return;
      }
      const chainError = socket.authorized
        ? null
        : describeVerifyError(String(socket.authorizationError));
      const nameError = tls.checkServerIdentity(host, peer);
      const notAfter = new Date(x509.validTo);
      settle({
        subject: x509.subject.replaceAll("\n", ", "),
        issuer: x509.issuer.replaceAll("\n", ", "),
        notBefore: new Date(x509.validFrom).toISOString(),
        notAfter: notAfter.toISOString(),
        daysToExpiry: Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS),
        fingerprint256: x509.fingerprint256,
        chainValid: socket.authorized,
        hostnameValid: nameError === undefined,
        error: [chainError, nameError?.message].filter(Boolean).join("; ") || null,
      });
    });
    socket.once("error", (error) => settle(new Error(`certificate: ${error.message}`)));
    socket.once("close", () => settle(new Error("certificate: the connection closed")));
    return socket;
  });
}

/** `Strict-Transport-Security: max-age=…; includeSubDomains; preload` (RFC 6797 6.1). */
export function parseHsts(header: string | undefined): Hsts | null {
  if (!header) return null;
  let maxAge: number | null = null;
  let includeSubDomains = false;
  let preload = false;
  for (const directive of header.split(";")) {
    const [rawName = "", ...rest] = directive.split("=");
    const name = rawName.trim().toLowerCase();
    const value = rest.join("=").trim().replace(/^"|"$/g, "");
    if (name === "max-age" && /^\d+$/.test(value)) maxAge = Number(value);
    else if (name === "includesubdomains") includeSubDomains = true;
    else if (name === "preload") preload = true;
  }
  return maxAge === null ? null : { maxAge, includeSubDomains, preload };
}

function readHsts(
  host: string,
  address: string,
  port: number,
  lowest: TlsVersion,
  timeoutMs: number,
): Promise<Hsts | null> {
  return bounded(timeoutMs, "HTTPS GET /", (settle) => {
    const request = https.request({
      ...tlsOptions(host, address, port, lowest),
      method: "GET",
      path: "/",
      headers: { host: hostForHeader(host, port, 443), connection: "close" },
      agent: false,
    });
    request.once("response", (response) => {
      response.resume();
      const header = response.headers["strict-transport-security"];
      settle(parseHsts(Array.isArray(header) ? header[0] : header));
    });
    request.once("error", (error) => settle(new Error(`HTTPS GET /: ${error.message}`)));
    request.end();
    return request;
  });
}

const REDIRECTS = new Set([301, 302, 307, 308]);

type Redirect = { redirects: boolean | null; error?: string };

/** True: a redirect to https:// on the same host; false: any other answer; null: no answer. */
function readRedirect(
  host: string,
  address: string,
  port: number,
  timeoutMs: number,
): Promise<Redirect> {
  return bounded<Redirect>(timeoutMs, "HTTP GET /", (settle) => {
    const request = http.request({
      host: address,
      port,
      method: "GET",
      path: "/",
      headers: { host: hostForHeader(host, port, 80), connection: "close" },
      agent: false,
    });
    request.once("response", (response) => {
      response.resume();
      const location = response.headers.location;
      let target: URL | null = null;
      try {
        target = location ? new URL(location) : null;
      } catch {
        target = null;
      }
      const redirects =
        REDIRECTS.has(response.statusCode ?? 0) &&
        target?.protocol === "https:" &&
        target.hostname.replace(/^\[|\]$/g, "").toLowerCase() === host.toLowerCase();
      settle({
        redirects,
        error: redirects
          ? undefined
          : `HTTP GET / on port ${port} answered ${response.statusCode}${location ? ` to ${location}` : ""}, not a redirect to https://${host}`,
      });
    });
    request.once("error", (error) =>
      settle({ redirects: null, error: `HTTP GET / on port ${port}: ${error.message}` }),
    );
    request.end();
    return request;
  }).catch((error: Error) => ({ redirects: null, error: error.message }));
}

/** Probes one endpoint. Never throws for the network: what went wrong is in `errors`. */
export async function probe(host: string, options: ProbeOptions = {}): Promise<TlsProbeResult> {
  const port = options.port ?? 443;
  const httpPort = options.httpPort ?? 80;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const now = options.now?.() ?? new Date();
  const name = host.replace(/^\[|\]$/g, "");
  const result: TlsProbeResult = {
    host: name,
    port,
    address: null,
    probedAt: now.toISOString(),
    tlsVersions: [],
    certificate: null,
    httpRedirectsToHttps: null,
    hsts: null,
    errors: [],
  };
  try {
    const [first] = await resolveOutbound(name, {
      allowPrivate: options.allowPrivate,
      allowLoopback: options.allowLoopback,
      lookup: options.lookup,
      timeoutMs,
    });
    if (!first) throw new Error(`${name} has no address`);
    result.address = first.address;
  } catch (error) {
    result.errors.push(
      error instanceof OutboundRefusedError
        ? `refused: ${error.message}`
        : `resolve: ${(error as Error).message}`,
    );
    return result;
  }
  const address = result.address;
  const trusted = options.ca ?? [];
  const redirect = readRedirect(name, address, httpPort, timeoutMs);
  const accepted = await Promise.all(
    TLS_VERSIONS.map((v) => acceptsVersion(name, address, port, v, timeoutMs).catch(() => false)),
  );
  result.tlsVersions = TLS_VERSIONS.filter((_, i) => accepted[i]);
  const lowest = result.tlsVersions[0] ?? "TLSv1.2";
  const [certificate, hsts] = await Promise.allSettled([
    readCertificate(name, address, port, lowest, trusted, timeoutMs, now),
    readHsts(name, address, port, lowest, timeoutMs),
  ]);
  if (certificate.status === "fulfilled") result.certificate = certificate.value;
  else result.errors.push((certificate.reason as Error).message);
  if (hsts.status === "fulfilled") result.hsts = hsts.value;
  else result.errors.push((hsts.reason as Error).message);
  const { redirects, error } = await redirect;
  result.httpRedirectsToHttps = redirects;
  if (error) result.errors.push(error);
  if (result.tlsVersions.length === 0) result.errors.push(`no TLS handshake succeeded on ${port}`);
  return result;
}

export type TlsJudgement = { state: "passing" | "failing" | "due_soon"; reasons: string[] };

/**
 * CONTROLS.md `endpoints-tls` on one probe: TLS 1.2 or newer only, a certificate chain that
 * validates for the host name, not expiring within `dueSoonDays` (due soon), and plain HTTP
 * redirecting to HTTPS. Days to expiry count from `asOf` (default: when it was probed). An
 * endpoint that serves no plain HTTP at all (null) sends nothing in the clear and is not failed
 * for it. Pure.
 */
export function judgeTlsProbe(
  result: TlsProbeResult,
  options: { asOf?: Date; dueSoonDays?: number } = {},
): TlsJudgement {
  const failing: string[] = [];
  const dueSoonDays = options.dueSoonDays ?? 14;
  const endpoint = `${result.host}:${result.port}`;
  if (result.address === null) {
    return {
      state: "failing",
      reasons: [`${endpoint} was not probed: ${result.errors.join("; ")}`],
    };
  }
  const old = result.tlsVersions.filter((v) => v === "TLSv1" || v === "TLSv1.1");
  if (old.length > 0) failing.push(`${endpoint} accepts ${old.join(" and ")}, older than TLS 1.2`);
  if (!result.tlsVersions.some((v) => v === "TLSv1.2" || v === "TLSv1.3")) {
    failing.push(`${endpoint} accepts neither TLS 1.2 nor TLS 1.3`);
  }
  const cert = result.certificate;
  let dueSoon: string | null = null;
  if (!cert) {
    failing.push(`${endpoint} presented no certificate`);
  } else {
    const asOf = options.asOf ?? new Date(result.probedAt);
    const days = Math.floor((Date.parse(cert.notAfter) - asOf.getTime()) / DAY_MS);
    const expiry = cert.notAfter.slice(0, 10);
    if (!cert.chainValid)
      failing.push(`${endpoint}: the certificate chain does not validate: ${cert.error}`);
    if (!cert.hostnameValid)
      failing.push(`${endpoint}: the certificate is not valid for ${result.host}`);
    if (days < 0) failing.push(`${endpoint}: the certificate expired on ${expiry}`);
    else if (days < dueSoonDays)
      dueSoon = `${endpoint}: the certificate expires in ${days} days (${expiry})`;
  }
  if (result.httpRedirectsToHttps === false) {
    failing.push(`${endpoint}: plain HTTP does not redirect to HTTPS`);
  }
  if (failing.length > 0)
    return { state: "failing", reasons: dueSoon ? [...failing, dueSoon] : failing };
  if (dueSoon) return { state: "due_soon", reasons: [dueSoon] };
  return { state: "passing", reasons: [] };
}
