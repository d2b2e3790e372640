import { UnsupportedMediaTypeError } from "./upload-form.ts";

/**
 * The kinds of file Attest keeps as evidence, by extension, with the media types a client may
 * declare for each. A file must have one of these extensions and declare a matching type (or
 * the generic application/octet-stream); it is stored and served under the canonical type of
 * its extension, never under what the client declared.
 */
const OOXML = "application/vnd.openxmlformats-officedocument";

const TYPES: Record<string, { canonical: string; declared: string[] }> = {
  pdf: { canonical: "application/pdf", declared: ["application/x-pdf"] },
  png: { canonical: "image/png", declared: [] },
  jpg: { canonical: "image/jpeg", declared: ["image/pjpeg"] },
  jpeg: { canonical: "image/jpeg", declared: ["image/pjpeg"] },
  gif: { canonical: "image/gif", declared: [] },
  webp: { canonical: "image/webp", declared: [] },
  txt: { canonical: "text/plain", declared: [] },
  csv: {
    canonical: "text/csv",
    declared: ["application/csv", "text/plain", "application/vnd.ms-excel"],
  },
  json: { canonical: "application/json", declared: ["text/json", "text/plain"] },
  md: { canonical: "text/markdown", declared: ["text/x-markdown", "text/plain"] },
  zip: {
    canonical: "application/zip",
    declared: ["application/x-zip-compressed", "application/x-zip"],
  },
  docx: { canonical: `${OOXML}.wordprocessingml.document`, declared: [] },
  xlsx: { canonical: `${OOXML}.spreadsheetml.sheet`, declared: [] },
  pptx: { canonical: `${OOXML}.presentationml.presentation`, declared: [] },
  odt: { canonical: "application/vnd.oasis.opendocument.text", declared: [] },
  ods: { canonical: "application/vnd.oasis.opendocument.spreadsheet", declared: [] },
};

export const ACCEPTED_EXTENSIONS = Object.keys(TYPES);

const MAX_NAME_LENGTH = 200;

export type Accepted =
  | { ok: true; fileName: string; contentType: string }
  | { ok: false; message: string };

/** Checks an uploaded file's name and declared type; answers the name to keep and the type. */
export function acceptedFile(rawName: string | undefined, declared: string | undefined): Accepted {
  const fileName = safeFileName(rawName ?? "");
  const dot = fileName.lastIndexOf(".");
  const extension = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : "";
  const type = TYPES[extension];
  if (!type) {
    return {
      ok: false,
      message: `must be one of these kinds of file: ${ACCEPTED_EXTENSIONS.join(", ")}`,
    };
  }
  const mediaType = (declared ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const matches =
    mediaType === type.canonical ||
    type.declared.includes(mediaType) ||
    mediaType === "application/octet-stream";
  if (!matches) {
    return {
      ok: false,
      message: `is declared as ${mediaType || "no type"}, which does not match a .${extension} file`,
    };
  }
  return { ok: true, fileName, contentType: type.canonical };
}

/**
 * The last path segment of a client's file name, without control characters, at most 200
 * characters (keeping the extension). Only ever used as a label, never as a path.
 */
export function safeFileName(raw: string): string {
  const base = (raw.split(/[/\\]/).at(-1) ?? "")
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "")
    .trim();
  if (base.length <= MAX_NAME_LENGTH) return base;
  const dot = base.lastIndexOf(".");
  const extension = dot > 0 && base.length - dot <= 10 ? base.slice(dot) : "";
  return base.slice(0, MAX_NAME_LENGTH - extension.length) + extension;
}

/** The file as evidence keeps it, or a 415 naming the `file` field. */
export function evidenceFile(
  rawName: string | undefined,
  declared: string | undefined,
): { fileName: string; contentType: string } {
  const accepted = acceptedFile(rawName, declared);
  if (!accepted.ok) throw new UnsupportedMediaTypeError("file", accepted.message);
  return accepted;
}
