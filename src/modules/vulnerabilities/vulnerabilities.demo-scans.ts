import type { FindingStatus } from "../../db/tables/vulnerabilities.ts";
import { addDays, DAY_MS } from "../../domain/dates.ts";
import type { Settings } from "../../domain/settings.ts";
import { slaDays } from "../../domain/vulnerability-sla.ts";
import {
  ACCEPTED_RISK,
  DEMO_TOOLS,
  type DemoAdvisory,
  FALSE_POSITIVE,
  findingColumns,
} from "./vulnerabilities.demo-catalog.ts";

/**
 * The demo's year of scans, planned in memory before anything is written: for each scanned
 * system, its scanners on their cadence (the web app: npm audit and Semgrep weekly; the
 * production account's images: Trivy weekly; the others' images: Trivy every four weeks),
 * findings appearing scan after scan and most fixed within their SLA (gone from a later
 * scan), a few coming back before their deadline (which does not move), one false positive
 * (a throwaway key in a test fixture) and one accepted risk (a libxml2 advisory Debian had
 * not fixed). Findings still open today are all well within their deadlines.
 */
export interface ScannedSystem {
  id: string;
  name: string;
  kind: string;
  /** When it was first marked scanned. */
  since: Date;
}

export interface PlannedScan {
  stream: number;
  systemId: string;
  systemName: string;
  tool: string;
  format: (typeof DEMO_TOOLS)[keyof typeof DEMO_TOOLS]["format"];
  fileName: string;
  at: Date;
  results: number;
  created: number;
  unchanged: number;
  resolved: number;
  reopened: number;
}

export interface PlannedFinding {
  systemId: string;
  tool: string;
  columns: ReturnType<typeof findingColumns>;
  /** Index into the plan's scans: its first and last detection. */
  firstScan: number;
  lastScan: number;
  dueAt: Date;
  /** Its statuses in order, the first one open at first detection. */
  changes: { status: FindingStatus; at: Date; acceptedUntil?: Date }[];
  special?: "false_positive" | "risk_accepted";
}

export interface ScanPlan {
  scans: PlannedScan[];
  findings: PlannedFinding[];
}

interface Stream {
  system: ScannedSystem;
  kind: keyof typeof DEMO_TOOLS;
  cadence: number;
  target: string;
}

function streamsOf(system: ScannedSystem): Stream[] {
  const target = system.name
    .toLowerCase()
    .replace(/\(.*\)/g, "")
    .trim()
    .replace(/[^a-z0-9]+/g, "-");
  if (system.kind === "application") {
    return [
      { system, kind: "npm", cadence: 7, target },
      { system, kind: "sarif", cadence: 7, target },
    ];
  }
  const cadence = system.kind === "infrastructure" ? 7 : 28;
  return [{ system, kind: "trivy", cadence, target }];
}

/** New findings per scan (on average), and in a stream's first scan: the backlog it found. */
const NEW_PER_SCAN = { small: 0.8, large: 30 };
const BACKLOG = { small: 4, large: 150 };
/** Findings that come back after their fix, in each stream that has room for one. */
const COMEBACKS = { small: 1, large: 20 };

export function planScans(
  systems: ScannedSystem[],
  now: Date,
  settings: Settings,
  size: "small" | "large",
  random: () => number,
): ScanPlan {
  const scans: PlannedScan[] = [];
  const findings: PlannedFinding[] = [];
  const streams = systems.flatMap(streamsOf);
  streams.forEach((stream, streamIndex) => {
    const { tool, format, advisories } = DEMO_TOOLS[stream.kind];
    // The latest scan a day or two ago, the earliest after the system was first marked scanned
    // and within the year.
    const last = addDays(now, -(0.6 + random() * 1.2));
    const earliest = Math.max(stream.system.since.getTime(), addDays(now, -365).getTime());
    const times: Date[] = [];
    for (let at = last; at.getTime() > earliest; at = addDays(at, -stream.cadence)) {
      times.unshift(at);
    }
    const n = times.length - 1;
    if (n < 0) return;
    const timeOf = (k: number) =>
      new Date((times[0] as Date).getTime() + k * stream.cadence * DAY_MS);
    // Severities a scan on this cadence can see fixed in time: not criticals every 4 weeks.
    const eligible = advisories.filter((a) => slaDays(a.severity, settings) >= stream.cadence);
    const variants = new Map<string, number>();
    const mine: PlannedFinding[] = [];
    const add = (advisory: DemoAdvisory, first: number, fixedAt: number | null) => {
      const variant = variants.get(advisory.key) ?? 0;
      variants.set(advisory.key, variant + 1);
      const detected = times[first] as Date;
      const finding: PlannedFinding = {
        systemId: stream.system.id,
        tool,
        columns: findingColumns(format, advisory, variant, stream.target),
        firstScan: first,
        lastScan: fixedAt === null ? n : fixedAt - 1,
        dueAt: addDays(detected, slaDays(advisory.severity, settings)),
        changes: [{ status: "open", at: detected }],
      };
      if (fixedAt !== null) finding.changes.push({ status: "resolved", at: timeOf(fixedAt) });
      mine.push(finding);
      return finding;
    };
    for (let k = 0; k <= n; k++) {
      const rate = k === 0 ? BACKLOG[size] : NEW_PER_SCAN[size];
      const count = Math.floor(rate * 2 * random() + random());
      for (let j = 0; j < count; j++) {
        const advisory = eligible[Math.floor(random() * eligible.length)] as DemoAdvisory;
        const due = addDays(times[k] as Date, slaDays(advisory.severity, settings));
        // The last scan (on this cadence, even one still to come) before the deadline.
        const latest =
          k +
          Math.floor((due.getTime() - (times[k] as Date).getTime()) / (stream.cadence * DAY_MS));
        let fixedAt = k + 1 + Math.floor(random() ** 2 * (latest - k));
        // Still open today only with room to spare before its deadline.
        if (fixedAt > n && due.getTime() < addDays(now, 10).getTime()) {
          if (k === n) continue;
          fixedAt = n;
        }
        add(advisory, k, fixedAt > n ? null : fixedAt);
      }
    }
    // A few fixed findings come back in a later scan, before their deadline, and are fixed
    // again (or are still open, within it).
    let comebacks = 0;
    for (const finding of mine) {
      if (comebacks >= COMEBACKS[size]) break;
      const fixedAt = finding.lastScan + 1;
      const back = fixedAt + 2;
      const again = back + 2;
      if (finding.changes.length !== 2 || timeOf(again).getTime() > finding.dueAt.getTime())
        continue;
      if (again > n && finding.dueAt.getTime() < addDays(now, 10).getTime()) continue;
      if (back > n) continue;
      finding.changes.push({ status: "open", at: timeOf(back) });
      if (again <= n) finding.changes.push({ status: "resolved", at: timeOf(again) });
      finding.lastScan = again <= n ? again - 1 : n;
      comebacks++;
    }
    // The false positive: Semgrep's, reported in every scan since, marked the next day.
    if (stream.kind === "sarif" && n >= 6) {
      const fp = add(FALSE_POSITIVE, n - 6, null);
      fp.special = "false_positive";
      fp.changes.push({ status: "false_positive", at: addDays(times[n - 6] as Date, 1.2) });
    }
    // The accepted risk: on the database's image, still reported; asked for ten days after
    // the scan found it, approved two days later (before its deadline), expiring in 100 days.
    if (stream.kind === "trivy" && stream.system.kind === "database" && n >= 2) {
      const detected = times[n - 2] as Date;
      const ra = add(ACCEPTED_RISK, n - 2, null);
      ra.special = "risk_accepted";
      ra.changes.push({
        status: "risk_accepted",
        at: addDays(detected, 12.2),
        acceptedUntil: addDays(now, 100),
      });
    }
    const base = scans.length;
    for (let k = 0; k <= n; k++) {
      const present = mine.filter((f) => presentIn(f, k, timeOf));
      const created = mine.filter((f) => f.firstScan === k).length;
      const reopened = mine.filter((f) =>
        f.changes.some((c, i) => i > 0 && c.status === "open" && +c.at === +timeOf(k)),
      ).length;
      const resolved = mine.filter((f) =>
        f.changes.some((c) => c.status === "resolved" && +c.at === +timeOf(k)),
      ).length;
      scans.push({
        stream: streamIndex,
        systemId: stream.system.id,
        systemName: stream.system.name,
        tool,
        format,
        fileName: `${stream.kind === "npm" ? "npm-audit" : stream.kind}-${stream.target}-${timeOf(k).toISOString().slice(0, 10)}.${format === "sarif" ? "sarif" : "json"}`,
        at: timeOf(k),
        results: present.length,
        created,
        reopened,
        resolved,
        unchanged: present.length - created - reopened,
      });
    }
    for (const finding of mine) {
      finding.firstScan += base;
      finding.lastScan += base;
    }
    findings.push(...mine);
  });
  return { scans, findings };
}

/** Whether a scan (by its index in the stream) reported the finding: while open, or marked. */
function presentIn(finding: PlannedFinding, k: number, timeOf: (k: number) => Date): boolean {
  if (k < finding.firstScan) return false;
  if (finding.special) return true;
  const at = timeOf(k).getTime();
  let present = false;
  for (const change of finding.changes) {
    if (change.at.getTime() > at) break;
    present = change.status === "open";
  }
  return present;
}
