// My account: profile summary, password, two-factor authentication, API tokens.

import { roleLabel } from "../../ui/format";
import { useScrollToHash } from "../../ui/hooks";
import { PageHeader } from "../../ui/PageHeader";
import { useCan, useSession } from "../../ui/session";
import { MfaSection } from "./MfaSection";
import { PasswordSection } from "./PasswordSection";
import { TokensSection } from "./TokensSection";

export function AccountPage() {
  const { user, organization, mfaEnrollmentRequired } = useSession();
  const can = useCan();
  useScrollToHash(true);
  return (
    <>
      <PageHeader title="My account" description="Your sign-in details and how you secure them." />
      <section className="card section" aria-labelledby="profile-heading">
        <h2 id="profile-heading" className="section-title">
          Profile
        </h2>
        <dl className="facts facts-inline">
          <div>
            <dt>Name</dt>
            <dd>{user.name}</dd>
          </div>
          <div>
            <dt>Email</dt>
            <dd>{user.email}</dd>
          </div>
          <div>
            <dt>Role</dt>
            <dd>{roleLabel(user.role)}</dd>
          </div>
          <div>
            <dt>Organization</dt>
            <dd>{organization.name}</dd>
          </div>
        </dl>
      </section>
      <MfaSection />
      {!mfaEnrollmentRequired && <PasswordSection />}
      {!mfaEnrollmentRequired && can("tokens.manage") && <TokensSection />}
    </>
  );
}
