import type { ScanFormat, Severity } from "../../db/tables/vulnerabilities.ts";

/**
 * What the demo's scanners report: real advisories of the packages a Node web app and its
 * Debian-based containers ship, and the rules a SARIF code scanner applies, each turned into
 * a finding's columns. `variant` tells apart the same advisory in another place (another
 * image, workspace, file or laptop), so that a year of scans finds distinct findings.
 */
export interface DemoAdvisory {
  key: string;
  title: string;
  severity: Severity;
  cvss?: number;
  identifiers: string[];
  packageName?: string;
  installed?: string;
  fixed?: string;
  url?: string;
  /** SARIF: the rule and where it matched. */
  ruleId?: string;
  filePath?: string;
  line?: number;
}

export interface DemoFindingColumns {
  fingerprint: string;
  title: string;
  severity: Severity;
  cvss_score: number | null;
  identifiers: string[];
  rule_id: string | null;
  package_name: string | null;
  installed_version: string | null;
  fixed_version: string | null;
  file_path: string | null;
  line: number | null;
  url: string | null;
}

/** The rows of a table written one advisory a line, its fields separated by "|". */
function rows(table: string): string[][] {
  return table
    .trim()
    .split("\n")
    .map((line) => line.split("|"));
}

const ghsa = (id: string) => `https://github.com/advisories/${id}`;
const avd = (cve: string) => `https://avd.aquasec.com/nvd/${cve.toLowerCase()}`;

const NPM_TABLE = `
semver|7.5.1|7.5.2|GHSA-c2qf-rxjj-qqgw|CVE-2022-25883|semver vulnerable to Regular Expression Denial of Service|medium|5.3
express|4.18.2|4.19.2|GHSA-rv95-896h-c2vc|CVE-2024-29041|Express.js Open Redirect in malformed URLs|medium|6.1
body-parser|1.20.2|1.20.3|GHSA-qwcr-r2fm-qrc7|CVE-2024-45590|body-parser vulnerable to denial of service when url encoding is enabled|high|7.5
path-to-regexp|0.1.7|0.1.10|GHSA-9wv6-86v2-598j|CVE-2024-45296|path-to-regexp outputs backtracking regular expressions|high|7.5
cookie|0.5.0|0.7.0|GHSA-pxg6-pf52-xh8x|CVE-2024-47764|cookie accepts cookie name, path, and domain with out of bounds characters|low|3.7
braces|3.0.2|3.0.3|GHSA-grv7-fg5c-xmjg|CVE-2024-4068|Uncontrolled resource consumption in braces|high|7.5
ws|8.16.0|8.17.1|GHSA-3h5v-q93c-6h6q|CVE-2024-37890|ws affected by a DoS when handling a request with many HTTP headers|high|7.5
micromatch|4.0.5|4.0.8|GHSA-952p-6rrq-rcjv|CVE-2024-4067|Regular Expression Denial of Service (ReDoS) in micromatch|medium|5.3
cross-spawn|7.0.3|7.0.5|GHSA-3xgq-45jj-v275|CVE-2024-21538|Regular Expression Denial of Service (ReDoS) in cross-spawn|high|7.5
nanoid|3.3.7|3.3.8|GHSA-mwcw-c2x4-8c55|CVE-2024-55565|Predictable results in nanoid generation when given non-integer values|medium|4.3
send|0.18.0|0.19.0|GHSA-m6fv-jmcg-4jfg|CVE-2024-43799|send vulnerable to template injection that can lead to XSS|low|3.1
axios|1.5.1|1.6.0|GHSA-wf5p-g6vw-rhxx|CVE-2023-45857|Axios Cross-Site Request Forgery Vulnerability|medium|6.5
follow-redirects|1.15.3|1.15.4|GHSA-jchw-25xp-jwwc|CVE-2023-26159|Improper Input Validation due to the improper handling of URLs by the url.parse() function|medium|6.1
form-data|4.0.0|4.0.4|GHSA-fjxv-7rqg-78g4|CVE-2025-7783|form-data uses unsafe random function for choosing boundary|critical|9.4
pbkdf2|3.1.2|3.1.3|GHSA-h7cp-r72f-jxh6|CVE-2025-6545|pbkdf2 returns predictable uninitialized/zero-filled memory for non-normalized or unimplemented algos|critical|9.1
`;

/** npm audit of the web app: the dependency tree's advisories. */
export const NPM_ADVISORIES: DemoAdvisory[] = rows(NPM_TABLE).map(
  ([pkg, installed, fixed, id, cve, title, severity, cvss]) => ({
    key: `${pkg}:${id}`,
    title: title as string,
    severity: severity as Severity,
    cvss: Number(cvss),
    identifiers: [id as string, cve as string],
    packageName: pkg as string,
    installed: installed as string,
    fixed: fixed as string,
    url: ghsa(id as string),
  }),
);

const TRIVY_TABLE = `
libexpat1|2.5.0-1|2.5.0-1+deb12u1|CVE-2024-45491|libexpat: Integer Overflow or Wraparound|critical|9.8
libc6|2.36-9+deb12u4|2.36-9+deb12u7|CVE-2024-2961|glibc: Out of bounds write in iconv may lead to remote code execution|high|8.8
curl|7.88.1-10+deb12u5|7.88.1-10+deb12u6|CVE-2024-2398|curl: HTTP/2 push headers memory-leak|medium|6.5
libgnutls30|3.7.9-2+deb12u1|3.7.9-2+deb12u3|CVE-2024-28834|gnutls: vulnerable to Minerva side-channel information leak|medium|5.3
libsqlite3-0|3.40.1-2|3.40.1-2+deb12u1|CVE-2023-7104|sqlite: heap-buffer-overflow at sessionfuzz|high|7.3
libssh-4|0.10.5-3|0.10.6-0+deb12u1|CVE-2023-48795|ssh: Prefix truncation attack on Binary Packet Protocol (BPP)|medium|5.9
libtiff6|4.5.0-6|4.5.0-6+deb12u1|CVE-2023-52356|libtiff: Segment fault in libtiff at TIFFReadRGBATileExt() leading to denial of service|high|7.5
libkrb5-3|1.20.1-2+deb12u1|1.20.1-2+deb12u2|CVE-2024-37371|krb5: GSS message token handling|critical|9.1
libcurl4|7.88.1-10+deb12u6|7.88.1-10+deb12u7|CVE-2024-7264|curl: libcurl: ASN.1 date parser overread|medium|6.5
bsdutils|1:2.38.1-5+b1|1:2.38.1-5+deb12u1|CVE-2024-28085|util-linux: wall: escape sequence injection|low|3.3
libsystemd0|252.17-1~deb12u1|252.21-1~deb12u1|CVE-2023-50387|bind9: KeyTrap - Extreme CPU consumption in DNSSEC validator|high|7.5
libpq5|15.5-0+deb12u1|15.10-0+deb12u1|CVE-2024-10979|postgresql: PostgreSQL PL/Perl environment variable changes execute arbitrary code|high|8.8
stdlib|1.21.4|1.22.7|CVE-2024-34156|encoding/gob: golang: Calling Decoder.Decode on a message which contains deeply nested structures can cause a panic due to stack exhaustion|high|7.5
tar|1.34+dfsg-1.2|1.34+dfsg-1.2+deb12u1|CVE-2023-39804|tar: Incorrectly handled extension attributes in PAX archives can lead to a crash|low|3.3
libncursesw6|6.4-4|6.4-4+deb12u1|CVE-2023-50495|ncurses: segmentation fault via _nc_wrap_entry()|medium|6.5
`;

/** Trivy on Debian-based container images: OS packages and a Go binary. */
export const TRIVY_ADVISORIES: DemoAdvisory[] = rows(TRIVY_TABLE).map(
  ([pkg, installed, fixed, cve, title, severity, cvss]) => ({
    key: `${pkg}:${cve}`,
    title: title as string,
    severity: severity as Severity,
    cvss: Number(cvss),
    identifiers: [cve as string],
    packageName: pkg as string,
    installed: installed as string,
    fixed: fixed as string,
    url: avd(cve as string),
  }),
);

const SARIF_TABLE = `
javascript.express.security.audit.express-open-redirect.express-open-redirect|The application redirects to a URL taken from user input|medium|CWE-601|src/routes/auth/callback.ts|41
javascript.express.security.injection.tainted-sql-string|A SQL statement is built from user input|high|CWE-89|src/reports/export.ts|118
javascript.lang.security.audit.detect-non-literal-regexp|A RegExp is built from a variable, which can lead to ReDoS|medium|CWE-1333|src/search/filters.ts|27
javascript.lang.security.audit.path-traversal.path-join-resolve-traversal|A file path is built from user input|medium|CWE-22|src/files/download.ts|63
javascript.express.security.audit.xss.direct-response-write|User input is written to the response without escaping|medium|CWE-79|src/routes/preview.ts|19
javascript.lang.security.detect-child-process|A child process is started with user input|high|CWE-78|src/jobs/thumbnails.ts|88
javascript.lang.security.audit.unsafe-formatstring|A format string is built from a variable|low|CWE-134|src/logging/audit.ts|52
javascript.jsonwebtoken.security.jwt-hardcode.hardcoded-jwt-secret|A JWT secret is hard-coded|high|CWE-798|src/auth/tokens.ts|12
`;

/** Semgrep's SARIF over the web app's code: rule, file and line. */
export const SARIF_RULES: DemoAdvisory[] = rows(SARIF_TABLE).map(
  ([rule, title, severity, cwe, file, line]) => ({
    key: rule as string,
    title: title as string,
    severity: severity as Severity,
    identifiers: [cwe as string],
    ruleId: rule as string,
    filePath: file as string,
    line: Number(line),
  }),
);

/** The hard-coded secret Semgrep found in a test fixture: the demo's false positive. */
export const FALSE_POSITIVE: DemoAdvisory = {
  key: "generic.secrets.security.detected-private-key.detected-private-key",
  title: "A private key is committed to the repository",
  severity: "high",
  identifiers: ["CWE-798"],
  ruleId: "generic.secrets.security.detected-private-key.detected-private-key",
  filePath: "test/fixtures/tls/throwaway-key.pem",
  line: 1,
};

/** The libxml2 advisory Debian had not fixed: the demo's accepted risk. */
export const ACCEPTED_RISK: DemoAdvisory = {
  key: "libxml2:CVE-2024-25062",
  title: "libxml2: use-after-free in XMLReader",
  severity: "high",
  cvss: 7.5,
  identifiers: ["CVE-2024-25062"],
  packageName: "libxml2",
  installed: "2.9.14+dfsg-1.3~deb12u1",
  url: avd("CVE-2024-25062"),
};

const WORKSPACES = ["web", "api", "worker", "admin", "billing", "search", "mailer", "exports"];
const IMAGES = ["api", "worker", "scheduler", "gateway", "exporter", "search", "webhooks", "cron"];

/** The scanners the demo runs, and how each names a finding (its fingerprint) and where. */
export const DEMO_TOOLS: Record<
  "npm" | "trivy" | "sarif",
  { tool: string; format: ScanFormat; advisories: DemoAdvisory[] }
> = {
  npm: { tool: "npm audit", format: "npm-audit", advisories: NPM_ADVISORIES },
  trivy: { tool: "Trivy", format: "trivy", advisories: TRIVY_ADVISORIES },
  sarif: { tool: "Semgrep OSS", format: "sarif", advisories: SARIF_RULES },
};

/**
 * A finding's columns: the advisory in its `variant`th place (0: the first) on a system whose
 * images or code go by `target` (e.g. "postgres" for the database's image).
 */
export function findingColumns(
  format: ScanFormat,
  advisory: DemoAdvisory,
  variant: number,
  target: string,
): DemoFindingColumns {
  const round = Math.floor(variant / 8);
  const common = {
    title: advisory.title,
    severity: advisory.severity,
    cvss_score: advisory.cvss ?? null,
    identifiers: advisory.identifiers,
    rule_id: advisory.ruleId ?? advisory.identifiers[0] ?? null,
    package_name: advisory.packageName ?? null,
    installed_version: advisory.installed ?? null,
    fixed_version: advisory.fixed ?? null,
    url: advisory.url ?? null,
    line: null,
  };
  if (format === "sarif") {
    const dir = WORKSPACES[variant % WORKSPACES.length] as string;
    const file = variant === 0 ? advisory.filePath : `packages/${dir}/${advisory.filePath}`;
    const line = (advisory.line ?? 1) + round * 17;
    return {
      ...common,
      fingerprint: `${advisory.ruleId}:${file}:${line}`,
      file_path: file ?? null,
      line,
    };
  }
  if (format === "npm-audit") {
    const lockfile =
      variant === 0
        ? "package-lock.json"
        : `packages/${WORKSPACES[variant % WORKSPACES.length]}${round ? `-${round}` : ""}/package-lock.json`;
    return {
      ...common,
      fingerprint: `${advisory.key}:${lockfile}`,
      file_path: lockfile,
    };
  }
  const image = `${target}${variant === 0 ? "" : `-${IMAGES[variant % IMAGES.length]}${round ? `-${round}` : ""}`}`;
  return {
    ...common,
    fingerprint: `${image}:${advisory.key}`,
    file_path: `registry.demo.attest.test/${image}`,
  };
}
