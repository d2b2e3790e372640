// Said once, on the dashboard, to owners and admins: Attest sends no mail until an SMTP server
// is configured, what is not emailed meanwhile, and what happens instead.

import { Callout } from "../../ui/Callout";
import { useOutgoingMail } from "./queries";

export function MailOffNotice() {
  const mail = useOutgoingMail(true);
  if (!mail.isSuccess || mail.data.configured) return null;
  return (
    <section className="section" aria-label="Outgoing mail">
      <Callout tone="warning" title="Outgoing mail is off">
        <p>
          Attest sends no email until <code>ATTEST_SMTP_URL</code> names an SMTP server (set it and
          restart Attest). Until then:
        </p>
        <ul>
          <li>
            policy acknowledgement requests and reminders are not emailed: people find what to
            acknowledge under My policies;
          </li>
          <li>
            access request decisions are not emailed: approving a request shows you its link to pass
            on;
          </li>
          <li>
            the trust center offers no notices by email: visitors follow the notices' Atom feed;
          </li>
          <li>
            report alerts and deadline reminders are not emailed: handlers find new reports on the
            Reports page.
          </li>
        </ul>
      </Callout>
    </section>
  );
}
