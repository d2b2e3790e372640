// The auth area's API data, named from the generated schema.
import type { Answer, ItemOf, RequestBody } from "../../ui/schema";

export type SetupStatus = Answer<"/api/v1/setup">;
export type SetupInput = RequestBody<"/api/v1/setup", "post">;
export type SetupResult = Answer<"/api/v1/setup", "post">;
export type LoginInput = RequestBody<"/api/v1/auth/login", "post">;
export type LoginResult = Answer<"/api/v1/auth/login", "post">;
export type MfaEnrollment = Answer<"/api/v1/me/mfa/enroll", "post">;
export type MfaConfirmed = Answer<"/api/v1/me/mfa/confirm", "post">;
export type ApiToken = ItemOf<"/api/v1/tokens">;
export type CreatedApiToken = Answer<"/api/v1/tokens", "post">;
export type Invitation = Answer<"/api/v1/invitations/{token}">;
