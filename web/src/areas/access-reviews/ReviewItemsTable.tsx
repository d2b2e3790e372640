// A table of review items: tick one or many undecided items, then keep them, revoke them with
// one comment, or (an admin) hand them to another reviewer.
import { type FormEvent, useEffect, useRef, useState } from "react";
import { SelectField, TextAreaField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { plural } from "../../ui/format";
import { fieldErrorsOf } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { useActivePeople } from "../systems/queries";
import { accessReviewsApi } from "./access-reviews.api";
import {
  ItemContext,
  ItemDecision,
  ItemRevocation,
  ItemSubject,
  itemAccess,
  itemSubject,
} from "./access-reviews.components";
import { useReviewMutation } from "./access-reviews.queries";
import type { Decision, ReviewItem } from "./access-reviews.types";

function RevokeDialog({
  open,
  count,
  pending,
  error,
  onRevoke,
  onClose,
}: {
  open: boolean;
  count: number;
  pending: boolean;
  error: unknown;
  onRevoke: (comment: string) => void;
  onClose: () => void;
}) {
  const [comment, setComment] = useState("");
  // Each revocation starts with an empty comment.
  useEffect(() => {
    if (open) setComment("");
  }, [open]);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onRevoke(comment);
  }
  return (
    <Modal
      open={open}
      title={`Revoke ${plural(count, "item")}`}
      description="Each revocation becomes an access task for the system's owner, due within 7 days."
      onClose={onClose}
    >
      <form className="form" onSubmit={onSubmit} aria-busy={pending}>
        <div className="modal-body">
          <FormAlert error={error} />
          <TextAreaField
            label="Why this access is no longer needed"
            required
            rows={3}
            maxLength={2000}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            hint="One comment for every item revoked here; it goes into the signed-off record."
            error={fieldErrorsOf(error).comment}
          />
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-danger" disabled={pending}>
            {pending ? "Revoking…" : `Revoke ${plural(count, "item")}`}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function ReassignDialog({
  open,
  items,
  pending,
  error,
  onReassign,
  onClose,
}: {
  open: boolean;
  items: ReviewItem[];
  pending: boolean;
  error: unknown;
  onReassign: (reviewerId: string) => void;
  onClose: () => void;
}) {
  const people = useActivePeople(open);
  const [reviewerId, setReviewerId] = useState("");
  // Nobody reviews their own access.
  const underReview = new Set(items.map((i) => i.person?.id).filter(Boolean));
  const choices = (people.data ?? []).filter((p) => !underReview.has(p.id));
  return (
    <Modal open={open} title={`Reassign ${plural(items.length, "item")}`} onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          onReassign(reviewerId);
        }}
        aria-busy={pending}
      >
        <div className="modal-body">
          <FormAlert error={error ?? people.error} />
          <SelectField
            label="Reviewer"
            required
            value={reviewerId}
            onChange={(e) => setReviewerId(e.target.value)}
            hint="Anyone active except a person whose access is under review."
            error={fieldErrorsOf(error).reviewerId}
          >
            <option value="">Choose a person</option>
            {choices.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={pending}>
            {pending ? "Reassigning…" : "Reassign"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Whether keyboard focus was left on nothing (its element removed). */
export function focusIsLost(): boolean {
  return !document.activeElement || document.activeElement === document.body;
}

/**
 * The items of one campaign. Undecided items the caller is the reviewer of (mayDecide) can be
 * kept or revoked; with `reassign` (admins) any undecided item can be given to another reviewer.
 * `label` names the table's region.
 */
export function ReviewItemsTable({
  reviewId,
  items,
  label,
  reassign: reassignable = false,
  showReviewer = true,
}: {
  reviewId: string;
  items: ReviewItem[];
  label: string;
  reassign?: boolean;
  showReviewer?: boolean;
}) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<"revoke" | "reassign" | null>(null);
  const [done, setDone] = useState("");
  const doneRef = useRef<HTMLParagraphElement>(null);
  const open = items.filter((i) => !i.decision && (i.mayDecide || reassignable));
  const chosen = open.filter((i) => selected.has(i.id));
  const ids = chosen.map((i) => i.id);
  const decide = open.some((i) => i.mayDecide);
  // Keep and revoke apply only when every ticked item is the caller's to decide.
  const decidable = chosen.length > 0 && chosen.every((i) => i.mayDecide);

  const decision = useReviewMutation((input: { decision: Decision; comment?: string }) =>
    accessReviewsApi.decide(reviewId, { itemIds: ids, ...input }),
  );
  const reassign = useReviewMutation((reviewerId: string) =>
    accessReviewsApi.reassign(reviewId, { itemIds: ids, reviewerId }),
  );

  // Items decided lose their checkbox, and the bar goes with the last one: focus left on
  // nothing goes to the confirmation.
  // biome-ignore lint/correctness/useExhaustiveDependencies: when the undecided items change
  useEffect(() => {
    if (focusIsLost()) doneRef.current?.focus();
  }, [open.length]);

  function finish(message: string) {
    setSelected(new Set());
    setDialog(null);
    setDone(message);
  }
  function toggle(id: string, on: boolean) {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
    setDone("");
  }
  const selectable = open.length > 0;
  const allChosen = open.length > 0 && chosen.length === open.length;

  return (
    <>
      {selectable && (
        <fieldset className="bulk-bar">
          <legend className="visually-hidden">Decide: {label}</legend>
          <span className="bulk-count" aria-live="polite">
            {chosen.length === 0
              ? "Tick items to decide"
              : `${plural(chosen.length, "item")} selected`}
          </span>
          {decide && (
            <>
              <button
                type="button"
                className="button button-primary button-small"
                disabled={!decidable || decision.isPending}
                onClick={() =>
                  decision.mutate(
                    { decision: "keep" },
                    { onSuccess: () => finish(`Kept ${plural(ids.length, "item")}.`) },
                  )
                }
              >
                Keep
              </button>
              <button
                type="button"
                className="button button-danger button-small"
                disabled={!decidable}
                onClick={() => {
                  decision.reset();
                  setDialog("revoke");
                }}
              >
                Revoke…
              </button>
            </>
          )}
          {reassignable && (
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={chosen.length === 0}
              onClick={() => {
                reassign.reset();
                setDialog("reassign");
              }}
            >
              Reassign…
            </button>
          )}
        </fieldset>
      )}
      {dialog === null && <FormAlert error={decision.error} />}
      {done && (
        <p className="form-status" role="status" tabIndex={-1} ref={doneRef}>
          {done}
        </p>
      )}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard */}
      <section className="table-wrap" aria-label={label} tabIndex={0}>
        <table className="table review-items">
          <thead>
            <tr>
              {selectable && (
                <th scope="col" className="cell-check">
                  <input
                    type="checkbox"
                    className="checkbox"
                    aria-label="Select every undecided item"
                    checked={allChosen}
                    onChange={(e) =>
                      setSelected(new Set(e.target.checked ? open.map((i) => i.id) : []))
                    }
                  />
                </th>
              )}
              <th scope="col">Person</th>
              <th scope="col">Access and context</th>
              {showReviewer && <th scope="col">Reviewer</th>}
              <th scope="col">Decision</th>
              <th scope="col">Revocation</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-item-id={item.id}>
                {selectable && (
                  <td className="cell-check">
                    {open.includes(item) && (
                      <input
                        type="checkbox"
                        className="checkbox"
                        aria-label={`Select ${itemSubject(item)}: ${itemAccess(item)}`}
                        checked={selected.has(item.id)}
                        onChange={(e) => toggle(item.id, e.target.checked)}
                      />
                    )}
                  </td>
                )}
                <td>
                  <ItemSubject item={item} />
                </td>
                <td>
                  <ItemContext item={item} />
                </td>
                {showReviewer && (
                  <td>
                    {item.reviewer ? (
                      item.reviewer.name
                    ) : (
                      <span className="badge badge-warning">Needs a reviewer</span>
                    )}
                  </td>
                )}
                <td>
                  <ItemDecision item={item} />
                </td>
                <td>
                  <ItemRevocation item={item} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <RevokeDialog
        open={dialog === "revoke"}
        count={chosen.length}
        pending={decision.isPending}
        error={decision.error}
        onRevoke={(comment) =>
          decision.mutate(
            { decision: "revoke", comment },
            { onSuccess: () => finish(`Revoked ${plural(ids.length, "item")}.`) },
          )
        }
        onClose={() => setDialog(null)}
      />
      <ReassignDialog
        open={dialog === "reassign"}
        items={chosen}
        pending={reassign.isPending}
        error={reassign.error}
        onReassign={(reviewerId) =>
          reassign.mutate(reviewerId, {
            onSuccess: () => finish(`Reassigned ${plural(ids.length, "item")}.`),
          })
        }
        onClose={() => setDialog(null)}
      />
    </>
  );
}
