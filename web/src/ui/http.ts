// The one HTTP client of the web app: JSON over same origin, session cookie, CSRF header,
// RFC 9457 problem responses turned into ApiError.
export const BASE = "/api/v1";

export interface FieldError {
  field: string;
  message: string;
}

interface Problem {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  errors?: FieldError[];
  requestId?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldErrors: FieldError[];
  readonly requestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, problem: Problem, retryAfter?: string | null) {
    super(problem.detail || problem.title || defaultMessage(status));
    this.name = "ApiError";
    this.status = status;
    this.code = problem.code ?? "unknown";
    this.fieldErrors = problem.errors ?? [];
    this.requestId = problem.requestId;
    const seconds = retryAfter ? Number.parseInt(retryAfter, 10) : Number.NaN;
    this.retryAfterSeconds = Number.isFinite(seconds) ? seconds : undefined;
  }
}

function defaultMessage(status: number): string {
  if (status === 0) return "Could not reach the server. Check your connection and try again.";
  if (status === 401) return "Your session has ended. Sign in again.";
  if (status === 403) return "You do not have permission to do that.";
  if (status === 404) return "Not found.";
  if (status === 429) return "Too many attempts. Wait a moment and try again.";
  if (status >= 500) return "Something went wrong on the server. Try again in a moment.";
  return "The request could not be completed.";
}

// The CSRF token lives in memory only; GET /me hands it out again after a reload.
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * One call to /api/v1: JSON bodies are serialized, a FormData body goes as multipart/form-data
 * (file uploads); a refusal throws ApiError with the problem. Writes send the CSRF token (the
 * one given, or the session's).
 */
export async function apiRequest<T>(
  method: string,
  path: string,
  body?: unknown,
  csrf: string | null = csrfToken,
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  // FormData goes as multipart/form-data, a Blob as itself (a CSV import as text/csv).
  const form = body instanceof FormData || body instanceof Blob;
  if (body instanceof Blob) headers["Content-Type"] = body.type || "application/octet-stream";
  else if (body !== undefined && !form) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;

  let response: Response;
  try {
    response = await fetch(BASE + path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : form ? (body as BodyInit) : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, {});
  }

  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!response.ok) {
    const problem = typeof data === "object" && data !== null ? (data as Problem) : {};
    throw new ApiError(response.status, problem, response.headers.get("Retry-After"));
  }
  return data as T;
}

export type Query = Record<string, string | number | undefined | null>;

/** `path` with the query's set values as its search string. */
export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

// Shorthands the areas' endpoint lists are written with.
export const get = <T>(path: string, query?: Query) => apiRequest<T>("GET", withQuery(path, query));
export const post = <T>(path: string, body?: unknown) => apiRequest<T>("POST", path, body ?? {});
export const patch = <T>(path: string, body: unknown) => apiRequest<T>("PATCH", path, body);
export const put = <T>(path: string, body: unknown) => apiRequest<T>("PUT", path, body);
export const del = (path: string) => apiRequest<void>("DELETE", path);
export const seg = encodeURIComponent;

/** Keeps the CSRF token an answer hands out (sign-in, setup, /me). */
export function remember<T extends { csrfToken?: string | null }>(result: T): T {
  if (result.csrfToken) setCsrfToken(result.csrfToken);
  return result;
}
