// The policy text rules the API applies on approval (src/domain/policy-text.ts), so the
// editor can show what is left as the author types. The server's answer is the one that counts.

const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;
const NOTE_MARKER = /about this template/i;

/** Lines [start, end) of the template note: its block quote, or its paragraph without `>`. */
function noteLines(lines: string[]): [number, number] | null {
  const at = lines.findIndex((line) => NOTE_MARKER.test(line));
  if (at < 0) return null;
  const quoted = (line: string | undefined) => line?.trimStart().startsWith(">") ?? false;
  const inBlock = quoted(lines[at])
    ? quoted
    : (line: string | undefined) => (line ?? "").trim() !== "";
  let start = at;
  while (start > 0 && inBlock(lines[start - 1])) start -= 1;
  let end = at + 1;
  while (end < lines.length && inBlock(lines[end])) end += 1;
  return [start, end];
}

export function removeTemplateNote(body: string): string {
  const lines = body.split("\n");
  const range = noteLines(lines);
  if (!range) return body;
  let end = range[1];
  while (end < lines.length && lines[end]?.trim() === "") end += 1;
  return [...lines.slice(0, range[0]), ...lines.slice(end)].join("\n");
}

export interface TextLeft {
  placeholders: string[];
  templateNote: boolean;
  /** Approval writes the publication date where the text says {{effective_date}}. */
  effectiveDate: boolean;
}

export function textLeft(body: string): TextLeft {
  const lines = body.split("\n");
  const range = noteLines(lines);
  const text = range ? [...lines.slice(0, range[0]), ...lines.slice(range[1])].join("\n") : body;
  const names = [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ""))];
  return {
    placeholders: names.filter((name) => name !== "effective_date"),
    templateNote: range !== null,
    effectiveDate: names.includes("effective_date"),
  };
}

/** Writes in the placeholders that have a value, outside the template note (as the server does). */
export function fillPlaceholders(body: string, values: Record<string, string>): string {
  const fill = (text: string) =>
    text.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
  const lines = body.split("\n");
  const range = noteLines(lines);
  if (!range) return fill(body);
  return [
    fill(lines.slice(0, range[0]).join("\n")),
    ...lines.slice(range[0], range[1]),
    fill(lines.slice(range[1]).join("\n")),
  ].join("\n");
}
