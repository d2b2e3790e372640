// Single sign-on types, from the generated API schema.
import type { Answer, RequestBody } from "../../ui/schema";

export type ProviderAnswer = Answer<"/api/v1/sso/provider">;
export type Provider = NonNullable<ProviderAnswer["provider"]>;
export type ProviderInput = RequestBody<"/api/v1/sso/provider", "put">;
export type Discovery = Answer<"/api/v1/sso/provider/discovery", "post">;
export type SsoOptions = Answer<"/api/v1/auth/sso/options">;
export type SsoRole = Provider["defaultRole"];
