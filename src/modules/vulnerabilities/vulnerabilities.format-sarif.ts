import type { Severity } from "../../db/tables/vulnerabilities.ts";
import type { JsonMatch, PathKey } from "../../platform/json-stream.ts";
import {
  batched,
  fail,
  finding,
  firstLine,
  hashOf,
  identifiersIn,
  isObject,
  type Json,
  latest,
  object,
  optArray,
  optDate,
  optNumber,
  optObject,
  optString,
  readJsonFile,
  reqString,
  scoreOf,
  severityOfScore,
} from "./vulnerabilities.format-common.ts";
import type { HeaderValues } from "./vulnerabilities.formats.ts";
import type { ParsedFinding, ScanFile } from "./vulnerabilities.scan-file.ts";

/**
 * SARIF 2.1.0 (OASIS). Per run: the tool is tool.driver.name; rules come from tool.driver.rules
 * and tool.extensions[].rules (looked up by ruleIndex / rule.index, with rule.toolComponent
 * naming an extension, else by id); a result is a finding unless its kind is not "fail", its
 * baselineState is "absent", or it carries an accepted suppression.
 */

interface Run {
  tool: string;
  driverRules: Json[];
  extensionRules: Json[][];
  rulesById: Map<string, Json>;
  bases: Json;
  /** runs[].artifacts[i].location, for a location that names its artifact by index only. */
  artifacts: Map<number, Json>;
}

export async function openSarif(path: string, header: HeaderValues): Promise<ScanFile> {
  const runs = new Map<number, Run>();
  for (const match of header.sarifTool ?? []) {
    runs.set(match.path[1] as number, runOf(match.value, match.path));
  }
  for (const match of header.sarifArtifacts ?? []) {
    const run = runs.get(match.path[1] as number);
    if (run) run.artifacts.set(match.path[3] as number, object(match.value, match.path));
  }
  for (const match of header.sarifBases ?? []) {
    const run = runs.get(match.path[1] as number);
    if (run) run.bases = object(match.value, match.path);
  }
  const times: (Date | null)[] = [];
  for (const match of header.sarifInvocations ?? []) {
    if (!Array.isArray(match.value)) fail(match.path, "must be an array");
    match.value.forEach((invocation, i) => {
      const at = [...match.path, i];
      const item = object(invocation, at);
      times.push(optDate(item, "endTimeUtc", at) ?? optDate(item, "startTimeUtc", at));
    });
  }
  const tools = [...new Set([...runs.values()].map((run) => run.tool))];
  return {
    format: "sarif",
    tools,
    scannedAt: latest(times),
    findings: () =>
      batched(readJsonFile(path, [{ path: ["runs", "*", "results", "*"] }]), (match, out) => {
        const runIndex = match.path[1] as number;
        const run = runs.get(runIndex);
        if (!run) fail(["runs", runIndex, "tool"], "a SARIF run must name its tool");
        const parsed = resultOf(run, match);
        if (parsed) out.push(parsed);
      }),
  };
}

function runOf(value: unknown, path: PathKey[]): Run {
  const tool = object(value, path);
  const driver = optObject(tool, "driver", path) ?? fail([...path, "driver"], "is required");
  const driverPath = [...path, "driver"];
  const name = reqString(driver, "name", driverPath);
  const rulesById = new Map<string, Json>();
  const rulesOf = (component: Json, at: PathKey[]): Json[] =>
    optArray(component, "rules", at).map((rule, i) => {
      const item = object(rule, [...at, "rules", i]);
      const id = optString(item, "id", [...at, "rules", i]);
      if (id && !rulesById.has(id)) rulesById.set(id, item);
      return item;
    });
  const driverRules = rulesOf(driver, driverPath);
  const extensionRules = optArray(tool, "extensions", path).map((extension, i) =>
    rulesOf(object(extension, [...path, "extensions", i]), [...path, "extensions", i]),
  );
  return { tool: name, driverRules, extensionRules, rulesById, bases: {}, artifacts: new Map() };
}

const LEVELS: Record<string, Severity> = {
  error: "high",
  warning: "medium",
  note: "low",
  none: "low",
};

function resultOf(run: Run, match: JsonMatch): ParsedFinding | null {
  const at = match.path;
  const result = object(match.value, at, "a SARIF result object");
  const kind = optString(result, "kind", at);
  if (kind !== null && kind !== "fail") return null;
  if (optString(result, "baselineState", at) === "absent") return null;
  if (suppressed(result, at)) return null;

  const message = optObject(result, "message", at) ?? fail([...at, "message"], "is required");
  const rule = ruleOf(run, result, at);
  const ruleId =
    optString(result, "ruleId", at) ??
    (isObject(result.rule) ? optString(result.rule, "id", [...at, "rule"]) : null) ??
    (rule && typeof rule.id === "string" ? rule.id : null);
  const description = messageText(message, rule, [...at, "message"]);

  const facts = rule ? factsOf(rule) : NO_RULE;
  const properties = isObject(result.properties) ? result.properties : {};
  const score = scoreOf(properties["security-severity"]) ?? facts.score;
  const level = optString(result, "level", at) ?? facts.level ?? "warning";
  const severity = score !== null ? severityOfScore(score) : (LEVELS[level] ?? "medium");

  let identifiers = facts.identifiers;
  if (ruleId && ruleId !== facts.id) {
    const more = new Set(identifiers);
    identifiersIn(ruleId, more);
    identifiers = [...more];
  }
  const location = locationOf(run, result, at);
  const title = facts.title ?? ruleId ?? firstLine(description);
  // Trivy's SARIF names the package in the message: the fingerprint follows the package, not its version
  const trivy = description.startsWith("Package: ");
  const pkg = trivy ? (/^Package: (.+)$/m.exec(description)?.[1]?.trim() ?? null) : null;
  const installed = trivy
    ? (/^Installed Version: (.+)$/m.exec(description)?.[1]?.trim() ?? null)
    : null;
  const fixed = trivy ? (/^Fixed Version: (.+)$/m.exec(description)?.[1]?.trim() ?? null) : null;

  return finding({
    tool: run.tool,
    fingerprint: fingerprintOf(
      run,
      result,
      ruleId,
      location.fingerprintUri,
      pkg ?? description,
      at,
    ),
    title: firstLine(title) || firstLine(description),
    description,
    severity,
    cvssScore: score,
    // Trivy's rules carry the vector they scored
    cvssVector: facts.cvssVector,
    identifiers,
    ruleId,
    packageName: pkg,
    installedVersion: installed,
    fixedVersion: fixed || null,
    filePath: location.filePath,
    line: location.line,
    url: facts.url,
  });
}

/** What a rule says of its results, worked out once per rule. */
interface RuleFacts {
  id: string | null;
  title: string | null;
  level: string | null;
  score: number | null;
  identifiers: string[];
  cvssVector: string | null;
  url: string | null;
}

const NO_RULE: RuleFacts = {
  id: null,
  title: null,
  level: null,
  score: null,
  identifiers: [],
  cvssVector: null,
  url: null,
};
const FACTS = new WeakMap<Json, RuleFacts>();

function factsOf(rule: Json): RuleFacts {
  const known = FACTS.get(rule);
  if (known) return known;
  const properties = isObject(rule.properties) ? rule.properties : {};
  const id = typeof rule.id === "string" ? rule.id : null;
  const identifiers = new Set<string>();
  identifiersIn(id, identifiers);
  if (Array.isArray(properties.tags)) {
    for (const tag of properties.tags) if (typeof tag === "string") identifiersIn(tag, identifiers);
  }
  if (Array.isArray(rule.relationships)) {
    for (const relation of rule.relationships) {
      if (!isObject(relation) || !isObject(relation.target)) continue;
      const target = relation.target;
      const component = isObject(target.toolComponent) ? target.toolComponent.name : null;
      if (typeof target.id !== "string") continue;
      if (
        typeof component === "string" &&
        component.toUpperCase() === "CWE" &&
        /^\d+$/.test(target.id)
      ) {
        identifiers.add(`CWE-${Number(target.id)}`);
      } else identifiersIn(target.id, identifiers);
    }
  }
  const short = isObject(rule.shortDescription) ? rule.shortDescription.text : null;
  const configuration = isObject(rule.defaultConfiguration)
    ? rule.defaultConfiguration.level
    : null;
  const facts: RuleFacts = {
    id,
    title:
      typeof short === "string" && short.trim()
        ? firstLine(short)
        : typeof rule.name === "string"
          ? rule.name
          : null,
    level: typeof configuration === "string" ? configuration : null,
    score: scoreOf(properties["security-severity"]),
    identifiers: [...identifiers],
    // Trivy's rules carry the vector they scored
    cvssVector: typeof properties.cvssv3_vector === "string" ? properties.cvssv3_vector : null,
    url: typeof rule.helpUri === "string" ? rule.helpUri : null,
  };
  FACTS.set(rule, facts);
  return facts;
}

/** Suppressed: a suppression accepted (or without a status), none under review or rejected. */
function suppressed(result: Json, at: PathKey[]): boolean {
  const suppressions = optArray(result, "suppressions", at);
  if (suppressions.length === 0) return false;
  let accepted = false;
  for (const [i, item] of suppressions.entries()) {
    const status = optString(object(item, [...at, "suppressions", i]), "status", [
      ...at,
      "suppressions",
      i,
    ]);
    if (status === "underReview" || status === "rejected") return false;
    if (status === null || status === "accepted") accepted = true;
  }
  return accepted;
}

function ruleOf(run: Run, result: Json, at: PathKey[]): Json | null {
  const reference = optObject(result, "rule", at);
  const index =
    optNumber(result, "ruleIndex", at) ??
    (reference ? optNumber(reference, "index", [...at, "rule"]) : null);
  let rules = run.driverRules;
  const component = reference ? optObject(reference, "toolComponent", [...at, "rule"]) : null;
  if (component && typeof component.index === "number") {
    rules = run.extensionRules[component.index] ?? [];
  }
  if (index !== null && index >= 0) {
    const rule = rules[index];
    if (rule) return rule;
  }
  const id =
    optString(result, "ruleId", at) ??
    (reference ? optString(reference, "id", [...at, "rule"]) : null);
  if (!id) return null;
  // a hierarchical id ("CA2101/1") falls back to its base rule
  return run.rulesById.get(id) ?? run.rulesById.get(id.split("/")[0] as string) ?? null;
}

/** message.text with {0} placeholders filled, or the rule's messageStrings[message.id]. */
function messageText(message: Json, rule: Json | null, at: PathKey[]): string {
  let text = optString(message, "text", at);
  const id = optString(message, "id", at);
  if (text === null && id !== null && rule && isObject(rule.messageStrings)) {
    const entry = rule.messageStrings[id];
    if (isObject(entry) && typeof entry.text === "string") text = entry.text;
  }
  if (text === null) fail(at, "needs a text (or an id found in its rule's messageStrings)");
  const args = optArray(message, "arguments", at);
  if (args.length === 0) return text;
  return text.replace(/\{(\d+)\}/g, (whole, n: string) => {
    const value = args[Number(n)];
    return typeof value === "string" ? value : whole;
  });
}

function locationOf(
  run: Run,
  result: Json,
  at: PathKey[],
): { filePath: string | null; line: number | null; fingerprintUri: string | null } {
  const first = optArray(result, "locations", at)[0];
  if (!isObject(first) || !isObject(first.physicalLocation)) {
    return { filePath: null, line: null, fingerprintUri: null };
  }
  const physical = first.physicalLocation;
  let artifact = isObject(physical.artifactLocation) ? physical.artifactLocation : {};
  if (typeof artifact.uri !== "string" && typeof artifact.index === "number") {
    artifact = run.artifacts.get(artifact.index) ?? artifact;
  }
  const uri = typeof artifact.uri === "string" ? artifact.uri : null;
  const base = typeof artifact.uriBaseId === "string" ? artifact.uriBaseId : null;
  const region = isObject(physical.region) ? physical.region : {};
  const line =
    typeof region.startLine === "number" && Number.isInteger(region.startLine)
      ? region.startLine
      : null;
  return {
    filePath: uri === null ? null : resolve(run.bases, uri, base),
    line,
    // the uri as written (relative to its base): a checkout elsewhere keeps its fingerprints
    fingerprintUri: uri === null ? null : `${base ? `${base}:` : ""}${uri}`,
  };
}

/** Resolves a uri against originalUriBaseIds (bases may chain); unresolved stays relative. */
function resolve(bases: Json, uri: string, base: string | null, depth = 0): string {
  if (!base || /^[a-z][a-z0-9+.-]*:/i.test(uri) || depth > 10) return uri;
  const entry = bases[base];
  if (!isObject(entry) || typeof entry.uri !== "string") return uri;
  const prefix = resolve(
    bases,
    entry.uri,
    typeof entry.uriBaseId === "string" ? entry.uriBaseId : null,
    depth + 1,
  );
  return prefix.endsWith("/") ? `${prefix}${uri}` : `${prefix}/${uri}`;
}

function fingerprintOf(
  run: Run,
  result: Json,
  ruleId: string | null,
  uri: string | null,
  text: string,
  at: PathKey[],
): string {
  for (const key of ["partialFingerprints", "fingerprints"]) {
    const prints = optObject(result, key, at);
    if (!prints) continue;
    const pairs = Object.keys(prints)
      .sort()
      .filter((k) => typeof prints[k] === "string")
      .map((k) => `${k}=${prints[k]}`);
    if (pairs.length > 0) return `${ruleId ?? ""}|${pairs.join(",")}`;
  }
  return hashOf(run.tool, ruleId, uri, text);
}
