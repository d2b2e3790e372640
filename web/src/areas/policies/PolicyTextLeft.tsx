// What still stops a policy version from being approved: placeholders to write in and the
// template's "About this template" note. Shown on the draft and in the approve dialog.
import type { ReactNode } from "react";
import { Link } from "react-router";
import { Callout } from "../../ui/Callout";
import type { TextLeft } from "./policy-text";

export function isTextFinished(left: Pick<TextLeft, "placeholders" | "templateNote">): boolean {
  return left.placeholders.length === 0 && !left.templateNote;
}

interface PolicyTextLeftProps {
  left: TextLeft;
  /** Whose words: "this draft", "version 2". */
  subject: string;
  /** Offer the link to the company profile (for those who may edit it). */
  profileLink?: boolean;
  /** An action offered while something is left, such as removing the note. */
  children?: ReactNode;
}

export function PolicyTextLeft({
  left,
  subject,
  profileLink = false,
  children,
}: PolicyTextLeftProps) {
  const dateNote = left.effectiveDate
    ? " Approval writes the publication date where the text says {{effective_date}}."
    : "";
  if (isTextFinished(left)) {
    return (
      <Callout tone="success" title="Ready for approval">
        <p>
          No placeholder or template note is left in {subject}.{dateNote}
        </p>
      </Callout>
    );
  }
  return (
    <Callout tone="warning" title={`Finish ${subject} before it can be approved`}>
      <ul>
        {left.placeholders.map((name) => (
          <li key={name}>
            Replace <code>{`{{${name}}}`}</code>
          </li>
        ))}
        {left.templateNote && (
          <li>Delete the template note (“About this template”) at the top of the text</li>
        )}
      </ul>
      {(dateNote || profileLink) && (
        <p>
          {dateNote.trim()}
          {profileLink && (
            <>
              {dateNote && " "}
              New drafts are filled from the{" "}
              <Link to="/settings/organization">company profile</Link>.
            </>
          )}
        </p>
      )}
      {children}
    </Callout>
  );
}
