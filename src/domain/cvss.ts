/**
 * CVSS base scores computed from vectors, so that a finding whose scanner gives only a vector
 * (or says its severity is "unknown") still gets a severity: v3.0 and v3.1 (FIRST's
 * specification, section 7, with 3.1's Roundup of Appendix A; 3.0 rounds up to one decimal) and
 * v2 (the v2 guide, section 3.2.1). CVSS v4.0 vectors are recognized but not scored (answer null).
 */

export type CvssVersion = "2.0" | "3.0" | "3.1" | "4.0";

export interface CvssScore {
  version: CvssVersion;
  score: number;
}

const V3_WEIGHTS: Record<string, Record<string, number>> = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  PR: { N: 0.85, L: 0.62, H: 0.27 },
  UI: { N: 0.85, R: 0.62 },
  S: { U: 0, C: 1 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
};

const V2_WEIGHTS: Record<string, Record<string, number>> = {
  AV: { L: 0.395, A: 0.646, N: 1 },
  AC: { H: 0.35, M: 0.61, L: 0.71 },
  Au: { M: 0.45, S: 0.56, N: 0.704 },
  C: { N: 0, P: 0.275, C: 0.66 },
  I: { N: 0, P: 0.275, C: 0.66 },
  A: { N: 0, P: 0.275, C: 0.66 },
};

/** Metric → value of a vector's "M:V" parts; null when a part is malformed or repeated. */
function metricsOf(parts: string[]): Map<string, string> | null {
  const metrics = new Map<string, string>();
  for (const part of parts) {
    const [metric, value, extra] = part.split(":");
    if (!metric || !value || extra !== undefined || metrics.has(metric)) return null;
    metrics.set(metric, value);
  }
  return metrics;
}

/** The base metrics' weights, every one present and known; null otherwise. */
function weightsOf(
  metrics: Map<string, string>,
  table: Record<string, Record<string, number>>,
): Record<string, number> | null {
  const out: Record<string, number> = {};
  for (const [metric, values] of Object.entries(table)) {
    const weight = values[metrics.get(metric) ?? ""];
    if (weight === undefined) return null;
    out[metric] = weight;
  }
  return out;
}

/** CVSS v3.1 Appendix A: round up to one decimal, avoiding floating-point surprises. */
export function roundUp31(value: number): number {
  const integer = Math.round(value * 100000);
  if (integer % 10000 === 0) return integer / 100000;
  return (Math.floor(integer / 10000) + 1) / 10;
}

/** CVSS v3.0: the smallest number of one decimal equal to or higher than the input. */
function roundUp30(value: number): number {
  return Math.ceil(value * 10 - 1e-9) / 10;
}

function v3Score(metrics: Map<string, string>, version: "3.0" | "3.1"): number | null {
  const w = weightsOf(metrics, V3_WEIGHTS);
  if (!w) return null;
  const changed = w.S === 1;
  const pr =
    changed && metrics.get("PR") === "L"
      ? 0.68
      : changed && metrics.get("PR") === "H"
        ? 0.5
        : (w.PR as number);
  const iss = 1 - (1 - (w.C as number)) * (1 - (w.I as number)) * (1 - (w.A as number));
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability = 8.22 * (w.AV as number) * (w.AC as number) * pr * (w.UI as number);
  if (impact <= 0) return 0;
  const roundUp = version === "3.1" ? roundUp31 : roundUp30;
  return changed
    ? roundUp(Math.min(1.08 * (impact + exploitability), 10))
    : roundUp(Math.min(impact + exploitability, 10));
}

function v2Score(metrics: Map<string, string>): number | null {
  const w = weightsOf(metrics, V2_WEIGHTS);
  if (!w) return null;
  const impact =
    10.41 * (1 - (1 - (w.C as number)) * (1 - (w.I as number)) * (1 - (w.A as number)));
  const exploitability = 20 * (w.AV as number) * (w.AC as number) * (w.Au as number);
  const f = impact === 0 ? 0 : 1.176;
  const score = (0.6 * impact + 0.4 * exploitability - 1.5) * f;
  return Math.round(score * 10 + 1e-9) / 10;
}

/**
 * The base score of a vector: `CVSS:3.1/AV:N/…`, `CVSS:3.0/…`, v2 as `AV:N/AC:L/Au:N/C:P/I:P/A:P`
 * (optionally in parentheses or prefixed `CVSS:2.0/`). Temporal and environmental metrics are
 * allowed and ignored. Null for anything malformed, and for v4.0 (not scored).
 */
export function cvssBaseScore(vector: string | null | undefined): CvssScore | null {
  if (!vector) return null;
  const text = vector.trim().replace(/^\((.*)\)$/, "$1");
  const prefix = /^CVSS:(\d\.\d)\//.exec(text);
  const version = prefix?.[1] ?? "2.0";
  const metrics = metricsOf((prefix ? text.slice(prefix[0].length) : text).split("/"));
  if (!metrics) return null;
  if (version === "3.1" || version === "3.0") {
    const score = v3Score(metrics, version);
    return score === null ? null : { version, score };
  }
  if (version === "2.0") {
    const score = v2Score(metrics);
    return score === null ? null : { version, score };
  }
  return null;
}

/** The version a vector declares (v2 has no prefix), or null when it is not a CVSS vector. */
export function cvssVersionOf(vector: string): CvssVersion | null {
  const prefix = /^CVSS:(\d\.\d)\//.exec(vector.trim());
  if (!prefix) return cvssBaseScore(vector) ? "2.0" : null;
  const version = prefix[1];
  return version === "2.0" || version === "3.0" || version === "3.1" || version === "4.0"
    ? version
    : null;
}
