// The auth area's endpoints: setup, sign-in, invitations, the account's password, two-factor
// and API tokens.
import { del, get, post, remember, seg } from "../../ui/http";
import { fetchAll } from "../../ui/pager";
import type { Answer } from "../../ui/schema";
import type {
  ApiToken,
  CreatedApiToken,
  Invitation,
  LoginInput,
  LoginResult,
  MfaConfirmed,
  MfaEnrollment,
  SetupInput,
  SetupResult,
} from "./types";

export const authApi = {
  setup: (input: SetupInput) => post<SetupResult>("/setup", input).then(remember),
  login: (input: LoginInput) =>
    post<LoginResult>("/auth/login", input).then((r) => (r.status === "ok" ? remember(r) : r)),

  changePassword: (input: { currentPassword: string; newPassword: string }) =>
    post<Answer<"/api/v1/me/password", "post">>("/me/password", input),
  // An account made by single sign-on has no password to send.
  enrollMfa: (password: string) =>
    post<MfaEnrollment>("/me/mfa/enroll", password ? { password } : {}),
  confirmMfa: (code: string) => post<MfaConfirmed>("/me/mfa/confirm", { code }),
  disableMfa: (password: string) => post<void>("/me/mfa/disable", { password }),

  tokens: () => fetchAll<ApiToken>("/tokens"),
  createToken: (name: string) => post<CreatedApiToken>("/tokens", { name }),
  revokeToken: (id: string) => del(`/tokens/${seg(id)}`),

  invitation: (token: string) => get<Invitation>(`/invitations/${seg(token)}`),
  acceptInvitation: (token: string, input: { name: string; password: string }) =>
    post<Answer<"/api/v1/invitations/{token}/accept", "post">>(
      `/invitations/${seg(token)}/accept`,
      input,
    ).then(remember),
};
