/**
 * What a policy's text still needs before it may be approved: the `{{placeholders}}` the
 * templates carry, and the template's "About this template" note. Pure text rules, no I/O.
 */

const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;
const NOTE_MARKER = /about this template/i;

/** Filled by Attest when a version is approved: the day it takes effect. */
export const APPROVAL_PLACEHOLDERS: readonly string[] = ["effective_date"];

/**
 * Splits the template note out of a body. The note is the block quote holding "About this
 * template" (in the Terms of Service it also holds the counsel warning, which goes with it);
 * written without `>`, it is the paragraph holding those words.
 */
function splitTemplateNote(body: string): { before: string; note: string; after: string } | null {
  const lines = body.split("\n");
  const at = lines.findIndex((line) => NOTE_MARKER.test(line));
  if (at < 0) return null;
  const inBlock = lines[at]?.trimStart().startsWith(">")
    ? (line: string) => line.trimStart().startsWith(">")
    : (line: string) => line.trim() !== "";
  let start = at;
  while (start > 0 && inBlock(lines[start - 1] as string)) start -= 1;
  let end = at + 1;
  while (end < lines.length && inBlock(lines[end] as string)) end += 1;
  return {
    before: lines.slice(0, start).join("\n"),
    note: lines.slice(start, end).join("\n"),
    after: lines.slice(end).join("\n"),
  };
}

export function hasTemplateNote(body: string): boolean {
  return splitTemplateNote(body) !== null;
}

/** The body without the template note and the blank line that followed it. */
export function removeTemplateNote(body: string): string {
  const parts = splitTemplateNote(body);
  if (!parts) return body;
  const after = parts.after.replace(/^\n+/, "");
  return parts.before ? `${parts.before}\n${after}` : after;
}

/** Distinct placeholder names in a piece of text, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/** Placeholders left in the policy's own text; the template note's list of them is not counted. */
export function remainingPlaceholders(body: string): string[] {
  const parts = splitTemplateNote(body);
  return placeholdersIn(parts ? `${parts.before}\n${parts.after}` : body);
}

/**
 * Replaces the placeholders that have a value, outside the template note, so the note keeps
 * naming what the author was asked to check.
 */
export function fillPlaceholders(body: string, values: Record<string, string>): string {
  const fill = (text: string) =>
    text.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
  const parts = splitTemplateNote(body);
  if (!parts) return fill(body);
  return [fill(parts.before), parts.note, fill(parts.after)].join("\n");
}

interface UnfinishedText {
  /** Placeholders that must be replaced by hand, e.g. ["legal_entity"]. */
  placeholders: string[];
  templateNote: boolean;
}

/**
 * What stops a version from being approved. `fillsOnApproval`: approval fills the effective
 * date itself, so a version about to be published may still say `{{effective_date}}`.
 */
export function unfinishedText(
  body: string,
  options: { fillsOnApproval: boolean },
): UnfinishedText {
  const placeholders = remainingPlaceholders(body).filter(
    (name) => !(options.fillsOnApproval && APPROVAL_PLACEHOLDERS.includes(name)),
  );
  return { placeholders, templateNote: hasTemplateNote(body) };
}

export function isFinished(text: UnfinishedText): boolean {
  return text.placeholders.length === 0 && !text.templateNote;
}

/** One sentence naming what is left, for a problem's detail. */
export function describeUnfinished(text: UnfinishedText): string {
  const parts: string[] = [];
  if (text.placeholders.length > 0) {
    parts.push(`fill in ${text.placeholders.map((name) => `{{${name}}}`).join(", ")}`);
  }
  if (text.templateNote) parts.push("delete the template note (“About this template”)");
  return parts.join(" and ");
}
