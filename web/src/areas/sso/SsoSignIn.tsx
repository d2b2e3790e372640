// The sign-in page's single sign-on: "Sign in with <provider>" when the organization has it,
// and why a single sign-on was refused when the provider sent the browser back.
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "react-router";
import { Callout } from "../../ui/Callout";
import { SSO_ERRORS, ssoApi } from "./sso.api";
import "./sso.css";

export function SsoSignIn() {
  const [params] = useSearchParams();
  const options = useQuery({ queryKey: ["sso", "options"], queryFn: ssoApi.options, retry: false });
  const error = params.get("sso_error");
  const provider = options.data?.provider;
  return (
    <>
      {error && (
        <Callout tone="danger" title="Single sign-on failed" role="alert">
          <p>{SSO_ERRORS[error] ?? "Single sign-on did not complete. Try again."}</p>
        </Callout>
      )}
      {provider && (
        <div className="sso-sign-in">
          <a className="button button-secondary button-block" href={provider.startUrl}>
            Sign in with {provider.name}
          </a>
          <p className="sso-divider">or sign in with your password</p>
        </div>
      )}
    </>
  );
}
