// The action items of a lessons-learned document (or of the signed-in person): each with its
// owner, due date and completion; the form that adds one, and completing one with a note.
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { SelectField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime, formatDay, todayDateInput } from "../../ui/format";
import { fieldErrorsOf } from "../../ui/forms";
import { Badge } from "../../ui/StatusBadge";
import { useSession } from "../../ui/session";
import { useAllUsers } from "../users/queries";
import { incidentsApi } from "./incidents.api";
import { useIncidentMutation } from "./incidents.queries";
import type { ActionItem, MyActionItem } from "./incidents.types";

function CompleteButton({ item }: { item: ActionItem }) {
  const complete = useIncidentMutation(() => incidentsApi.completeActionItem(item.id, ""));
  return (
    <>
      <button
        type="button"
        className="button button-secondary button-small"
        disabled={complete.isPending}
        onClick={() => complete.mutate(undefined)}
      >
        {complete.isPending ? "Completing…" : "Mark done"}
        <span className="visually-hidden">: {item.title}</span>
      </button>
      <FormAlert error={complete.error} />
    </>
  );
}

export function ActionItemsTable({
  items,
  canManage,
  label,
}: {
  /** One of mine carries its incident, shown under its title. */
  items: (ActionItem | MyActionItem)[];
  canManage: boolean;
  label: string;
}) {
  const { user } = useSession();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label={label} tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Action</th>
            <th scope="col">Owner</th>
            <th scope="col">Due</th>
            <th scope="col">Done</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <td>
                {item.title}
                {"incident" in item && (
                  <div className="cell-secondary">
                    <Link to={`/incidents/${item.incidentId}/lessons`}>
                      {item.incident.reference}: {item.incident.title}
                    </Link>
                  </div>
                )}
              </td>
              <td>{item.owner.name}</td>
              <td>
                {formatDay(item.dueOn)} {item.overdue && <Badge tone="danger">Overdue</Badge>}
              </td>
              <td>
                {item.completedAt ? (
                  <>
                    {formatDateTime(item.completedAt)}
                    {item.completionNote && (
                      <div className="cell-secondary">{item.completionNote}</div>
                    )}
                  </>
                ) : canManage || item.owner.id === user.id ? (
                  <CompleteButton item={item} />
                ) : (
                  "Not yet"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function AddActionItemForm({ incidentId }: { incidentId: string }) {
  const users = useAllUsers();
  const [title, setTitle] = useState("");
  const [ownerId, setOwnerId] = useState("");
  const [dueOn, setDueOn] = useState("");
  const add = useIncidentMutation(() =>
    incidentsApi.addActionItem(incidentId, { title: title.trim(), ownerId, dueOn }),
  );
  const errors = fieldErrorsOf(add.error);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const added = await add.mutateAsync(undefined).catch(() => null);
    if (added) {
      setTitle("");
      setDueOn("");
    }
  }
  return (
    <form className="form" onSubmit={onSubmit} aria-busy={add.isPending}>
      <h3 className="subsection-title">Add an action item</h3>
      <FormAlert error={add.error ?? users.error} />
      <TextField
        label="Action"
        value={title}
        required
        maxLength={500}
        onChange={(e) => setTitle(e.target.value)}
        error={errors.title}
      />
      <SelectField
        label="Owner of the action"
        value={ownerId}
        required
        onChange={(e) => setOwnerId(e.target.value)}
        error={errors.ownerId}
      >
        <option value="">Choose someone</option>
        {(users.data ?? [])
          .filter((u) => u.status === "active")
          .map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
      </SelectField>
      <TextField
        label="Due on"
        type="date"
        value={dueOn}
        required
        min={todayDateInput()}
        onChange={(e) => setDueOn(e.target.value)}
        error={errors.dueOn}
      />
      <div className="form-actions">
        <button type="submit" className="button button-secondary" disabled={add.isPending}>
          {add.isPending ? "Adding…" : "Add the action item"}
        </button>
      </div>
    </form>
  );
}
