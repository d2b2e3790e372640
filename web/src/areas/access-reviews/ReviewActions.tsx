// A campaign's actions: download the record, cancel it, and sign it off once every item is
// decided and every revocation carried out.
import { useRef, useState } from "react";
import { Link } from "react-router";
import { Callout } from "../../ui/Callout";
import { TextAreaField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime, plural } from "../../ui/format";
import { fieldErrorsOf } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { useCan } from "../../ui/session";
import { accessReviewsApi } from "./access-reviews.api";
import { useReviewMutation } from "./access-reviews.queries";
import type { AccessReview } from "./access-reviews.types";

function CancelDialog({
  review,
  open,
  onClose,
}: {
  review: AccessReview;
  open: boolean;
  onClose: () => void;
}) {
  const [reason, setReason] = useState("");
  const cancel = useReviewMutation(() => accessReviewsApi.cancel(review.id, reason));
  return (
    <Modal open={open} title="Cancel the access review" onClose={onClose}>
      <form
        className="form"
        aria-busy={cancel.isPending}
        onSubmit={(e) => {
          e.preventDefault();
          cancel.mutate(undefined, { onSuccess: onClose });
        }}
      >
        <div className="modal-body">
          <FormAlert error={cancel.error} />
          <p>Decisions made so far stay in its record; the systems can be reviewed again.</p>
          <TextAreaField
            label="Why it is cancelled"
            required
            maxLength={2000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={fieldErrorsOf(cancel.error).reason}
          />
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Keep it
          </button>
          <button type="submit" className="button button-danger" disabled={cancel.isPending}>
            {cancel.isPending ? "Cancelling…" : "Cancel the review"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/**
 * The header's actions: the record as CSV and PDF (for readers of access, not a reviewer who
 * only decides), and Cancel (admins, while not closed).
 */
export function ReviewActions({ review }: { review: AccessReview }) {
  const can = useCan();
  const [cancelling, setCancelling] = useState(false);
  const live = review.status === "open" || review.status === "completed";
  return (
    <>
      {can("access.read") && (
        <>
          <a
            className="button button-secondary"
            href={accessReviewsApi.recordUrl(review.id, "csv")}
            download
          >
            Download CSV
          </a>
          <a
            className="button button-secondary"
            href={accessReviewsApi.recordUrl(review.id, "pdf")}
            download
          >
            Download PDF
          </a>
        </>
      )}
      {live && review.mayManage && (
        <>
          <button type="button" className="button button-ghost" onClick={() => setCancelling(true)}>
            Cancel review
          </button>
          <CancelDialog review={review} open={cancelling} onClose={() => setCancelling(false)} />
        </>
      )}
    </>
  );
}

/** What still stands between the campaign and its sign-off, in words; empty when nothing. */
export function whatIsLeft(review: AccessReview): string[] {
  const c = review.counts;
  const left: string[] = [];
  const undecided = c.items - c.decided;
  if (undecided > 0) left.push(`${plural(undecided, "item")} to decide`);
  if (c.needingReviewer > 0) left.push(`${plural(c.needingReviewer, "item")} needing a reviewer`);
  const open = c.revoked - c.revocationsDone;
  if (open > 0) left.push(`${plural(open, "revocation")} to carry out`);
  return left;
}

export function SignOffSection({ review }: { review: AccessReview }) {
  const sign = useReviewMutation(() => accessReviewsApi.signOff(review.id));
  // Signed off here and now: the confirmation replaces the button pressed, so it takes focus.
  const shownUnsigned = useRef(false);
  if (review.status === "cancelled") return null;
  if (review.status === "closed") {
    return (
      <Callout tone="success" title="Signed off" focusOnMount={shownUnsigned.current} role="status">
        <p>
          Signed off {formatDateTime(review.closedAt)}
          {review.closedBy ? ` by ${review.closedBy.name}` : ""}. The record is filed as evidence of
          the user access reviews control.{" "}
          <Link to="/controls/user-access-reviews">See the control</Link>
        </p>
      </Callout>
    );
  }
  if (!review.mayManage) return null;
  shownUnsigned.current = true;
  const left = whatIsLeft(review);
  const ready = left.length === 0;
  return (
    <section className="card section" aria-labelledby="sign-off-heading">
      <h2 id="sign-off-heading" className="section-title">
        Sign off
      </h2>
      <FormAlert error={sign.error} />
      <p id="sign-off-state">
        {ready
          ? "Every item is decided and every revocation carried out: sign the review off to file its record as evidence."
          : `Before sign-off: ${left.join(", ")}.`}
      </p>
      <button
        type="button"
        className="button button-primary"
        disabled={!ready || sign.isPending}
        aria-describedby="sign-off-state"
        onClick={() => sign.mutate(undefined)}
      >
        {sign.isPending ? "Signing off…" : "Sign off"}
      </button>
    </section>
  );
}
