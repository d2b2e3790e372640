// The inventory review: what changed since the last sign-off, what is wrong now, the sign-off
// itself (dated evidence of asset-inventory) and the sign-offs before.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import "../../styles/systems.css";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { TextAreaField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime, plural } from "../../ui/format";
import { fieldErrorsOf } from "../../ui/forms";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { keys } from "../../ui/queries";
import { useCan } from "../../ui/session";
import { systemsApi } from "./api";
import { fieldList } from "./labels";
import { systemKeys } from "./queries";
import type { InventoryChanges } from "./types";

interface Ref {
  id: string;
  name: string;
}

function SystemList({
  title,
  items,
  note,
}: {
  title: string;
  items: Ref[];
  note?: (r: Ref) => string;
}) {
  return (
    <div className="review-group">
      <h3 className="review-group-title">
        {title} <span className="muted">({items.length})</span>
      </h3>
      {items.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="review-list">
          {items.map((r) => (
            <li key={r.id}>
              <Link to={`/systems/${r.id}`}>{r.name}</Link>
              {note && <span className="muted"> — {note(r)}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Changes({ changes }: { changes: InventoryChanges }) {
  const fields = new Map(changes.changed.map((c) => [c.id, c.fields]));
  const reasons = new Map(changes.problems.unowned.map((u) => [u.id, u.reason]));
  return (
    <>
      <section className="card section" aria-labelledby="changes-heading">
        <h2 id="changes-heading" className="section-title">
          {changes.since
            ? `Changes since the last sign-off (${formatDateTime(changes.since)})`
            : "Changes: the inventory was never signed off, so every system is new"}
        </h2>
        <p>{plural(changes.systemCount, "system")} listed today.</p>
        <SystemList title="Added" items={changes.added} />
        <SystemList
          title="Changed"
          items={changes.changed}
          note={(r) => fieldList(fields.get(r.id) ?? [])}
        />
        <SystemList title="Archived" items={changes.archived} />
      </section>
      <section className="card section" aria-labelledby="problems-heading">
        <h2 id="problems-heading" className="section-title">
          Problems to fix
        </h2>
        <SystemList
          title="Without an active owner"
          items={changes.problems.unowned}
          note={(r) => (reasons.get(r.id) === "no_owner" ? "no owner" : "the owner is not active")}
        />
        <SystemList title="Unclassified" items={changes.problems.unclassified} />
      </section>
    </>
  );
}

function SignOff() {
  const queryClient = useQueryClient();
  const [comment, setComment] = useState("");
  const sign = useMutation({
    mutationFn: () => systemsApi.signOff(comment.trim()),
    onSuccess: () => {
      setComment("");
      void queryClient.invalidateQueries({ queryKey: systemKeys.changes });
      void queryClient.invalidateQueries({ queryKey: systemKeys.reviews });
      void queryClient.invalidateQueries({ queryKey: keys.controls });
      void queryClient.invalidateQueries({ queryKey: keys.dashboard });
    },
  });
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    sign.mutate();
  }
  return (
    <section className="card section" aria-labelledby="sign-heading">
      <h2 id="sign-heading" className="section-title">
        Sign off
      </h2>
      <form className="form" onSubmit={onSubmit} aria-busy={sign.isPending}>
        <FormAlert error={sign.error} />
        {sign.isSuccess && (
          <p role="status">
            <Icon name="check" /> Signed off. The asset inventory control counts it from now.
          </p>
        )}
        <TextAreaField
          label="Comment (optional)"
          name="comment"
          rows={3}
          maxLength={5000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          hint="What you checked, and with whom."
          error={fieldErrorsOf(sign.error).comment}
        />
        <div>
          <button type="submit" className="button button-primary" disabled={sign.isPending}>
            {sign.isPending ? "Signing…" : "Sign off the inventory"}
          </button>
        </div>
      </form>
    </section>
  );
}

function PastSignOffs() {
  const reviews = useQuery({ queryKey: systemKeys.reviews, queryFn: systemsApi.inventoryReviews });
  return (
    <section className="card section" aria-labelledby="past-heading">
      <h2 id="past-heading" className="section-title">
        Past sign-offs
      </h2>
      {reviews.isPending && <PageLoading label="Loading sign-offs" />}
      {reviews.isError && <LoadError error={reviews.error} onRetry={() => reviews.refetch()} />}
      {reviews.data?.length === 0 && <p className="muted">None yet.</p>}
      {reviews.data && reviews.data.length > 0 && (
        <ul className="review-list">
          {reviews.data.map((r) => (
            <li key={r.id}>
              <strong>{formatDateTime(r.signedAt)}</strong>
              {r.signedByName ? ` by ${r.signedByName}` : ""}: {plural(r.systemCount, "system")}
              {r.changes &&
                ` (${r.changes.added.length} added, ${r.changes.changed.length} changed, ${r.changes.archived.length} archived)`}
              {r.comment && <div className="muted">{r.comment}</div>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function InventoryReviewPage() {
  const can = useCan();
  const changes = useQuery({ queryKey: systemKeys.changes, queryFn: systemsApi.inventoryChanges });
  return (
    <>
      <Link className="back-link" to="/systems">
        <Icon name="arrowLeft" />
        All systems
      </Link>
      <PageHeader
        title="Inventory review"
        description="Review the whole inventory at least once a year: what changed since the last sign-off and what needs fixing, then sign it off."
      />
      {changes.isPending && <PageLoading label="Loading changes" />}
      {changes.isError && <LoadError error={changes.error} onRetry={() => changes.refetch()} />}
      {changes.data && <Changes changes={changes.data} />}
      {can("systems.manage") && <SignOff />}
      <PastSignOffs />
    </>
  );
}
