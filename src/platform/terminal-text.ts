/**
 * Text from the database (an organization's name, an email) made safe to print on a terminal:
 * control characters (C0, DEL, C1) and the bidirectional overrides are written as `\x1b` or
 * `\u202e`, so a name cannot move the cursor, retitle the window, clear the screen or reorder
 * the line it is printed on. A backslash is doubled, so the escaped form is unambiguous.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    if (ch === "\\") return "\\\\";
    const code = ch.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters escaped
const UNSAFE = /[\\\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
