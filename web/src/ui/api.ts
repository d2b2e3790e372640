// The one HTTP client of the web app: JSON over same origin, session cookie, CSRF header,
// RFC 9457 problem responses turned into ApiError.
import type {
  ApiToken,
  Control,
  CreatedApiToken,
  DailyStatus,
  Dashboard,
  Evidence,
  EvidenceLinkInput,
  Invitation,
  InviteUserInput,
  LoginResult,
  Me,
  MfaEnrollment,
  MyPolicy,
  NewPersonInput,
  NewPolicyInput,
  OrganizationDetails,
  Page,
  PeopleFilter,
  Person,
  Policy,
  PolicyDiff,
  PolicySummary,
  PolicyTemplate,
  SessionUser,
  SetupInput,
  SetupResult,
  SetupStatus,
  UpdateControlInput,
  UpdateOrganizationInput,
  UpdatePersonInput,
  UpdatePolicyInput,
  UpdateUserInput,
  User,
} from "./types";

const BASE = "/api/v1";

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

type Query = Record<string, string | number | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
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
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;

  let response: Response;
  try {
    response = await fetch(BASE + path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
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

const request = apiRequest;
const get = <T>(path: string, query?: Query) => request<T>("GET", withQuery(path, query));
const post = <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {});
const patch = <T>(path: string, body: unknown) => request<T>("PATCH", path, body);
const put = <T>(path: string, body: unknown) => request<T>("PUT", path, body);
const del = (path: string) => request<void>("DELETE", path);
const seg = encodeURIComponent;

function remember<T extends { csrfToken?: string }>(result: T): T {
  if (result.csrfToken) setCsrfToken(result.csrfToken);
  return result;
}

/** Follows nextCursor until the list is complete (for short lists such as controls). */
async function listAll<T>(path: string, query?: Query, maxPages = 50): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const result: Page<T> = await get<Page<T>>(path, { ...query, cursor });
    items.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return items;
}

export const api = {
  setupStatus: () => get<SetupStatus>("/setup"),
  setup: (input: SetupInput) => post<SetupResult>("/setup", input).then(remember),

  login: (input: { email: string; password: string } | { code: string }) =>
    post<LoginResult>("/auth/login", input).then((r) => (r.status === "ok" ? remember(r) : r)),
  logout: () => post<void>("/auth/logout").finally(() => setCsrfToken(null)),

  /** The signed-in session, or null when nobody is signed in. */
  me: async (): Promise<Me | null> => {
    try {
      return remember(await get<Me>("/me"));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setCsrfToken(null);
        return null;
      }
      throw error;
    }
  },
  changePassword: (input: { currentPassword: string; newPassword: string }) =>
    post<{ sessionsEnded: number; tokensRevoked: number }>("/me/password", input),
  enrollMfa: (password: string) => post<MfaEnrollment>("/me/mfa/enroll", { password }),
  confirmMfa: (code: string) =>
    post<{ recoveryCodes: string[]; sessionsEnded: number }>("/me/mfa/confirm", { code }),
  disableMfa: (password: string) => post<void>("/me/mfa/disable", { password }),

  tokens: () => listAll<ApiToken>("/tokens"),
  createToken: (name: string) => post<CreatedApiToken>("/tokens", { name }),
  revokeToken: (id: string) => del(`/tokens/${seg(id)}`),

  users: (cursor?: string) => get<Page<User>>("/users", { cursor }),
  allUsers: () => listAll<User>("/users"),
  inviteUser: (input: InviteUserInput) => post<{ user: User; inviteUrl: string }>("/users", input),
  updateUser: (id: string, input: UpdateUserInput) => patch<User>(`/users/${seg(id)}`, input),
  deactivateUser: (id: string) => post<User>(`/users/${seg(id)}/deactivate`),

  invitation: (token: string) => get<Invitation>(`/invitations/${seg(token)}`),
  acceptInvitation: (token: string, input: { name: string; password: string }) =>
    post<{ status: "ok"; user: SessionUser; csrfToken: string }>(
      `/invitations/${seg(token)}/accept`,
      input,
    ).then(remember),

  organization: () => get<OrganizationDetails>("/organization"),
  updateOrganization: (input: UpdateOrganizationInput) =>
    patch<OrganizationDetails>("/organization", input),

  dashboard: () => get<Dashboard>("/dashboard"),
  controls: () => listAll<Control>("/controls"),
  /** One control now, or as evaluated at the end of a past day (YYYY-MM-DD). */
  control: (key: string, asOf?: string) => get<Control>(`/controls/${seg(key)}`, { asOf }),
  controlHistory: (key: string, from: string, to: string) =>
    get<{ items: DailyStatus[] }>(`/controls/${seg(key)}/history`, { from, to }),
  updateControl: (key: string, input: UpdateControlInput) =>
    patch<Control>(`/controls/${seg(key)}`, input),

  evidence: (controlKey: string) => listAll<Evidence>("/evidence", { controlKey }),
  /** Fields first, then the `file` part: the server checks the fields before storing the file. */
  uploadEvidence: (form: FormData) => post<Evidence>("/evidence", form),
  addEvidenceLink: (input: EvidenceLinkInput) => post<Evidence>("/evidence/links", input),
  deleteEvidence: (id: string) => del(`/evidence/${seg(id)}`),
  evidenceDownloadUrl: (id: string) => `${BASE}/evidence/${seg(id)}/download`,

  policies: () => listAll<PolicySummary>("/policies"),
  policyTemplates: () =>
    get<{ items: PolicyTemplate[] }>("/policies/templates").then((r) => r.items),
  policy: (id: string) => get<Policy>(`/policies/${seg(id)}`),
  createPolicy: (input: NewPolicyInput) => post<Policy>("/policies", input),
  updatePolicy: (id: string, input: UpdatePolicyInput) =>
    patch<Policy>(`/policies/${seg(id)}`, input),
  saveDraft: (id: string, input: { body: string; changeSummary?: string }) =>
    put<Policy>(`/policies/${seg(id)}/draft`, input),
  submitPolicy: (id: string) => post<Policy>(`/policies/${seg(id)}/submit`),
  approvePolicy: (id: string, comment?: string) =>
    post<Policy>(`/policies/${seg(id)}/approve`, { comment }),
  rejectPolicy: (id: string, reason: string) =>
    post<Policy>(`/policies/${seg(id)}/reject`, { reason }),
  reviewPolicy: (id: string, comment?: string) =>
    post<Policy>(`/policies/${seg(id)}/review`, { comment }),
  retirePolicy: (id: string) => post<Policy>(`/policies/${seg(id)}/retire`),
  acknowledgePolicy: (id: string, versionId: string) =>
    post<{ policyId: string; versionId: string; acknowledgedAt: string }>(
      `/policies/${seg(id)}/acknowledge`,
      { versionId },
    ),
  policyDiff: (id: string, from: string, to: string) =>
    get<PolicyDiff>(`/policies/${seg(id)}/diff`, { from, to }),
  previewMarkdown: (body: string) => post<{ html: string }>("/policies/preview", { body }),
  policyPdfUrl: (id: string, versionId: string) =>
    `${BASE}/policies/${seg(id)}/versions/${seg(versionId)}/pdf`,
  policiesExportUrl: `${BASE}/policies/export.zip`,
  myPolicies: () => get<{ items: MyPolicy[] }>("/me/policies").then((r) => r.items),

  people: (filter: PeopleFilter, cursor?: string) =>
    get<Page<Person>>("/people", { ...filter, cursor, limit: 100 }),
  person: (id: string) => get<Person>(`/people/${seg(id)}`),
  jobRoles: () => get<{ items: string[] }>("/people/job-roles").then((r) => r.items),
  createPerson: (input: NewPersonInput) => post<Person>("/people", input),
  updatePerson: (id: string, input: UpdatePersonInput) =>
    patch<Person>(`/people/${seg(id)}`, input),
};
