// Turning API errors into what a form shows: one message at the top, one per field.
import { type RefObject, useEffect } from "react";
import { ApiError } from "./http";

export type FieldErrors = Record<string, string>;

/** Server field names may come as "password", "body.password" or "/password". */
function fieldName(field: string): string {
  const parts = field.split(/[./]/).filter(Boolean);
  return parts[parts.length - 1] ?? field;
}

export function fieldErrorsOf(error: unknown): FieldErrors {
  if (!(error instanceof ApiError)) return {};
  const errors: FieldErrors = {};
  for (const { field, message } of error.fieldErrors) {
    const name = fieldName(field);
    if (!errors[name]) errors[name] = message;
  }
  return errors;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 429 && error.retryAfterSeconds) {
      return `${error.message} You can try again in ${error.retryAfterSeconds} seconds.`;
    }
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}

/** After a failed submit, move focus to the first field marked invalid. */
export function useFocusFirstInvalid(
  formRef: RefObject<HTMLFormElement | null>,
  error: unknown,
): void {
  useEffect(() => {
    if (!error) return;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    invalid?.focus();
  }, [error, formRef]);
}

/** The text values of a submitted form, keyed by input name. */
export function readForm(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  new FormData(form).forEach((value, key) => {
    if (typeof value === "string") values[key] = value;
  });
  return values;
}
