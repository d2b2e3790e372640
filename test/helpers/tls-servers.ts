import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import type tls from "node:tls";

/**
 * Real TLS servers on 127.0.0.1 for the probe's tests (src/platform/tls-probe.test.ts, the
 * endpoints area's), with certificates made by the openssl CLI: a test CA, leaves for
 * localhost (good: 90 days, soon: 5 days, expired: a day ago), one for another name (other),
 * and a self-signed one (self). Each server has a plain HTTP sibling that redirects or not.
 */
const DAY_MS = 86_400_000;
let dir: string;
let pem: Record<string, { key: string; cert: string }> = {};
let caPem: string;
let closers: (() => Promise<void>)[] = [];

function openssl(...args: string[]) {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

/** openssl ca's date form: YYYYMMDDHHMMSSZ. */
function caDate(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`;
}

function ecKey(name: string): string[] {
  return ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name];
}

function issueLeaf(name: string, dnsName: string, notBefore: Date, notAfter: Date) {
  openssl("req", "-new", ...ecKey(`${name}.key`), "-out", `${name}.csr`, "-subj", `/CN=${dnsName}`);
  fs.writeFileSync(
    path.join(dir, `${name}.ext`),
    `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:${dnsName}\n`,
  );
  openssl(
    "ca",
    "-batch",
    "-config",
    "ca.cnf",
    "-notext",
    "-in",
    `${name}.csr`,
    "-out",
    `${name}.pem`,
    "-startdate",
    caDate(notBefore),
    "-enddate",
    caDate(notAfter),
    "-extfile",
    `${name}.ext`,
  );
  pem[name] = {
    key: fs.readFileSync(path.join(dir, `${name}.key`), "utf8"),
    cert: fs.readFileSync(path.join(dir, `${name}.pem`), "utf8"),
  };
}

function makeCertificates() {
  openssl(
    "req",
    "-x509",
    ...ecKey("ca.key"),
    "-out",
    "ca.pem",
    "-days",
    "30",
    "-subj",
    "/CN=Attest Test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
  caPem = fs.readFileSync(path.join(dir, "ca.pem"), "utf8");
  fs.writeFileSync(path.join(dir, "index.txt"), "");
  fs.writeFileSync(path.join(dir, "serial"), "1000\n");
  fs.mkdirSync(path.join(dir, "issued"));
  fs.writeFileSync(
    path.join(dir, "ca.cnf"),
    [
      "[ca]",
      "default_ca = test",
      "[test]",
      `database = ${dir}/index.txt`,
      `new_certs_dir = ${dir}/issued`,
      `serial = ${dir}/serial`,
      `certificate = ${dir}/ca.pem`,
      `private_key = ${dir}/ca.key`,
      "default_md = sha256",
      "policy = anything",
      "unique_subject = no",
      "[anything]",
      "commonName = supplied",
      "",
    ].join("\n"),
  );
  const now = Date.now();
  const at = (days: number) => new Date(now + days * DAY_MS);
  issueLeaf("good", "localhost", at(-1), at(90));
  issueLeaf("other", "other.example.test", at(-1), at(90));
  issueLeaf("soon", "localhost", at(-30), new Date(now + 5 * DAY_MS + 3_600_000));
  issueLeaf("expired", "localhost", at(-60), new Date(now - DAY_MS + 3_600_000));
  openssl(
    "req",
    "-x509",
    ...ecKey("self.key"),
    "-out",
    "self.pem",
    "-days",
    "30",
    "-subj",
    "/CN=localhost",
    "-addext",
    "subjectAltName=DNS:localhost",
  );
  pem.self = {
    key: fs.readFileSync(path.join(dir, "self.key"), "utf8"),
    cert: fs.readFileSync(path.join(dir, "self.pem"), "utf8"),
  };
}

export function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port));
  });
}

/** Closed after the file, with whatever connections it still holds. */
export function track(server: net.Server) {
  const sockets = new Set<net.Socket>();
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  closers.push(
    () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  );
}

export interface LoopbackEndpoint {
  port: number;
  httpPort: number;
}

/** An HTTPS server (and its plain HTTP sibling) on 127.0.0.1. */
export async function serve(
  leaf: string,
  options: { hsts?: string; redirect?: boolean; tls?: tls.SecureContextOptions } = {},
): Promise<LoopbackEndpoint> {
  const key = pem[leaf];
  if (!key) throw new Error(`no certificate ${leaf}`);
  const secure = https.createServer({ ...key, ...options.tls }, (_req, res) => {
    if (options.hsts) res.setHeader("strict-transport-security", options.hsts);
    res.end("secure");
  });
  track(secure);
  const port = await listen(secure);
  const plain = http.createServer((_req, res) => {
    if (options.redirect) {
      res.writeHead(301, { location: `https://localhost:${port}/` }).end();
    } else {
      res.end("in the clear");
    }
  });
  track(plain);
  const httpPort = await listen(plain);
  return { port, httpPort };
}

export interface TlsFixtures {
  /** The test CA's certificate (PEM), and a file holding it. */
  caPem: string;
  caFile: string;
  /** Each leaf's key and certificate, by name. */
  pem: Record<string, { key: string; cert: string }>;
}

/** Makes the certificates in a temporary directory (once per test file). */
export function makeTlsFixtures(): TlsFixtures {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-tls-probe-"));
  pem = {};
  closers = [];
  makeCertificates();
  return { caPem, caFile: path.join(dir, "ca.pem"), pem };
}

/** Closes every server started and removes the certificates. */
export async function closeTlsFixtures(): Promise<void> {
  await Promise.all(closers.map((close) => close()));
  closers = [];
  fs.rmSync(dir, { recursive: true, force: true });
}
