import type { Readable } from "node:stream";
import type { z } from "zod";
import type { BlobStore } from "./blob-store.ts";
import { tooLarge } from "./encrypted-files.ts";
import { AppError, errors, type FieldError } from "./errors.ts";

/** One part of a multipart form, as an upload use case sees it. */
export type FormPart =
  | { type: "field"; name: string; value: unknown; truncated: boolean }
  | { type: "file"; name: string; fileName: string; mimetype: string; stream: Readable };

export type FilePart = Extract<FormPart, { type: "file" }>;

/** A 415: the declared type or the extension of a file is not one accepted here. */
export class UnsupportedMediaTypeError extends AppError {
  constructor(field: string, message: string) {
    super("validation_failed", `${field}: ${message}`, [{ field, message }]);
  }
}

/**
 * Reads a form of text fields and one `file` part. Each field must be one of `fieldNames`,
 * sent once, whole and without NUL; `store` keeps the file (seeing the fields sent before it)
 * and `finish` records it. Whatever fails once the file is stored removes it from `blobs`.
 */
export async function readUploadForm<Stored extends { storageKey: string }, Result>(
  parts: AsyncIterable<FormPart>,
  fieldNames: readonly string[],
  blobs: BlobStore,
  steps: {
    store(part: FilePart, values: Record<string, unknown>): Promise<Stored>;
    finish(values: Record<string, unknown>, stored: Stored): Promise<Result>;
  },
): Promise<Result> {
  const values: Record<string, unknown> = {};
  let stored: Stored | undefined;
  try {
    for await (const part of parts) {
      if (part.type === "field") {
        if (!fieldNames.includes(part.name)) {
          throw errors.validation(part.name, "is not a field of this form");
        }
        if (part.name in values) throw errors.validation(part.name, "is sent more than once");
        if (part.truncated) throw errors.validation(part.name, "is too long");
        if (typeof part.value === "string" && part.value.includes("\u0000")) {
          throw errors.validation(part.name, "must not contain the NUL character");
        }
        values[part.name] = part.value;
        continue;
      }
      if (part.name !== "file") {
        part.stream.resume();
        throw errors.validation(part.name, "is not a field of this form; send the file as `file`");
      }
      if (stored) throw errors.validation("file", "send one file");
      stored = await steps.store(part, values);
    }
    if (!stored) throw errors.validation("file", "is required");
    return await steps.finish(values, stored);
  } catch (error) {
    if (stored) await blobs.delete(stored.storageKey);
    throw error;
  }
}

/** A file read whole from a small form, with the caption sent beside it. */
export interface CaptionedFile {
  fileName: string;
  contentType: string;
  data: Buffer;
  /** The caption field's text, trimmed; "" when none was sent. */
  caption: string;
}

/**
 * Reads a small form whole before anything is written: one `file` part (its type checked by
 * `accept`, at most `maxBytes`, else a 413), and, when `captionField` is named, an optional text
 * of at most 4000 characters. Any other part, a second file, no file or an empty one is a 400.
 */
export async function readCaptionedFile(
  parts: AsyncIterable<FormPart>,
  options: {
    captionField?: string;
    maxBytes: number;
    accept(fileName: string, mimetype: string): { fileName: string; contentType: string };
  },
): Promise<CaptionedFile> {
  let caption = "";
  let file: Omit<CaptionedFile, "caption"> | undefined;
  for await (const part of parts) {
    if (part.type === "field") {
      const field = options.captionField;
      if (part.name !== field) throw errors.validation(part.name, "is not a field of this form");
      if (part.truncated || typeof part.value !== "string" || part.value.length > 4000) {
        throw errors.validation(field, "must be a text of at most 4000 characters");
      }
      if (part.value.includes("\u0000")) {
        throw errors.validation(field, "must not contain the NUL character");
      }
      caption = part.value.trim();
      continue;
    }
    if (part.name !== "file" || file) {
      part.stream.resume();
      throw errors.validation(part.name, file ? "send one file" : "send the file as `file`");
    }
    const accepted = options.accept(part.fileName, part.mimetype);
    file = { ...accepted, data: await readWhole(part, options.maxBytes) };
  }
  if (!file) throw errors.validation("file", "is required");
  if (file.data.length === 0) throw errors.validation("file", "is empty");
  return { ...file, caption };
}

/** A file part's bytes, up to `maxBytes` (a 413 beyond). */
async function readWhole(part: FilePart, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      part.stream.resume();
      throw tooLarge(maxBytes);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The form's values as `schema` reads them; its issues become the error `toError` builds. */
export function parseFields<T>(
  schema: { safeParse(value: unknown): z.ZodSafeParseResult<T> },
  values: unknown,
  toError: (issues: z.core.$ZodIssue[]) => AppError = everyIssue,
): T {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  throw toError(result.error.issues);
}

/** A 400 naming every issue's field. */
function everyIssue(issues: z.core.$ZodIssue[]): AppError {
  const fieldErrors: FieldError[] = issues.map((issue) => ({
    field: issue.path.join(".") || "body",
    message: issue.message,
  }));
  const summary = fieldErrors.map((f) => `${f.field}: ${f.message}`).join("; ");
  return new AppError("validation_failed", summary, fieldErrors);
}
