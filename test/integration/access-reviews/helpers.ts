import { inflateSync } from "node:zlib";
import type { Client, TestApp } from "../../helpers/app.ts";

/** What the access review tests share: raw downloads and an RFC 4180 reader. */

/** The raw bytes of a GET, as the client (their session) would receive them. */
export async function download(t: TestApp, client: Client, url: string) {
  const response = await t.app.inject({
    method: "GET",
    url,
    headers: client.cookie ? { cookie: client.cookie } : {},
  });
  return {
    status: response.statusCode,
    type: String(response.headers["content-type"] ?? ""),
    disposition: String(response.headers["content-disposition"] ?? ""),
    bytes: response.rawPayload,
  };
}

/** RFC 4180: quoted fields with doubled quotes and line breaks, CRLF between records. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The CSV's records as objects keyed by the header row. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries((header ?? []).map((h, i) => [h, r[i] ?? ""])));
}

/** The items of a campaign as `client` sees them (first page of 200). */
export async function itemsOf(client: Client, reviewId: string, query = "") {
  const reply = await client.get(`/api/v1/access-reviews/${reviewId}/items?limit=200${query}`);
  if (reply.status !== 200) throw new Error(`items: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.items as ReviewItem[];
}

export interface ReviewItem {
  id: string;
  kind: "grant" | "account";
  grantId: string | null;
  accountId: string | null;
  person: { id: string; name: string } | null;
  username: string | null;
  systemRole: string | null;
  jobRole: string | null;
  service: boolean;
  lastLoginAt: string | null;
  reviewer: { id: string; name: string } | null;
  decision: "keep" | "revoke" | null;
  comment: string | null;
  revocation: { taskId: string | null; dueAt: string | null; doneAt: string | null } | null;
  mayDecide: boolean;
}

/**
 * The text a PDF made by pdfkit draws, one line per text operator: its content streams
 * inflated, the hex strings of each TJ array (kerning between them) and Tj joined, as
 * WinAnsi (the standard fonts' encoding).
 */
export function pdfText(bytes: Buffer): string {
  const raw = bytes.toString("latin1");
  const lines: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const end = raw.indexOf("endstream", start);
    if (end < 0) continue;
    let content: string;
    try {
      content = inflateSync(bytes.subarray(start, end)).toString("latin1");
    } catch {
      continue;
    }
    for (const op of content.matchAll(
      /\[((?:<[0-9A-Fa-f]*>|[-\d.\s])*)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj/g,
    )) {
      const hexes =
        op[1] !== undefined ? [...op[1].matchAll(/<([0-9A-Fa-f]*)>/g)].map((m) => m[1]) : [op[2]];
      lines.push(hexes.map((h) => winAnsi(Buffer.from(h ?? "", "hex"))).join(""));
    }
  }
  return lines.join("\n");
}

const WIN_ANSI_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";
function winAnsi(bytes: Buffer): string {
  return [...bytes]
    .map((b) => (b >= 0x80 && b <= 0x9f ? WIN_ANSI_HIGH[b - 0x80] : String.fromCharCode(b)))
    .join("");
}
